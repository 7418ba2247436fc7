"""A lost receipt secret over HTTP (API and web page): the code with the ID number and phone
given at filing, any spelling; a new secret replaces the old one and goes to the phone (or
e-mail) on file, never in the answer; the same answer when nothing matched; limited per
address and per dossier code.

The server trusts 127.0.0.1 as its proxy, so each test speaks from addresses of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from engine.audit.chain import dossier_chain
from engine.model import OutboxMessage
from engine.service.recovery import RENEWED
from tests.conftest import DB_PARAMS
from tests.features.api_steps import APPLICANT, ApiOffice, csrf_of, serving

LIMITS = {"public_recovery_limit": "6/hour", "public_recovery_code_limit": "3/hour",
          "trusted_proxies": "127.0.0.1"}
SENT_SMS = ("Nếu thông tin khớp với hồ sơ, mã bí mật mới đã được gửi bằng tin nhắn tới số "
            "điện thoại đã khai khi nộp; từ nay chỉ mã mới dùng được.")


@pytest.fixture(scope="module", params=DB_PARAMS)
def api(request: pytest.FixtureRequest) -> Iterator[ApiOffice]:
    with serving(request.param, **LIMITS) as running:
        yield running


def _recover(api: ApiOffice, code: str, address: str, **body: Any) -> httpx.Response:
    details = {"id_number": APPLICANT["id_number"], "phone": APPLICANT["phone"],
               "channel": "sms", **body}
    return api.client().post(f"/public/dossiers/{code}/secret-recovery", json=details,
                             headers={"X-Forwarded-For": address})


def _messages(api: ApiOffice, code: str) -> list[OutboxMessage]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(code)
        assert dossier is not None
        return [m for m in uow.outbox.for_dossier(dossier.id) if m.kind == "secret"]


def _rate(api: ApiOffice, code: str, secret: str) -> int:
    return api.client().post(f"/public/dossiers/{code}/rating",
                             json={"secret": secret, "satisfaction": 5}).status_code


def _finished(api: ApiOffice) -> dict[str, Any]:
    receipt = api.submit()
    api.certify(receipt["code"])
    return receipt


def test_a_new_secret_goes_to_the_phone_on_file_and_the_old_one_stops(api: ApiOffice) -> None:
    receipt = _finished(api)
    code, old = receipt["code"], receipt["secret"]
    # Typed as people type: the code in lower case, the numbers with spaces and +84.
    answer = _recover(api, code.lower(), "198.51.100.1", id_number="001 085 012 345",
                      phone="+84 912 345 678")
    assert answer.status_code == 202, answer.text
    assert answer.json() == {"detail": SENT_SMS}
    [sms] = _messages(api, code)
    assert sms.channel == "sms" and sms.recipient == APPLICANT["phone"]
    found = re.search(r"\b([A-Z2-9]{8})\b", sms.body.split(code)[-1])
    assert found, sms.body
    new = found.group(1)
    assert new != old and new not in answer.text
    assert _rate(api, code, old) == 403  # the old secret no longer works
    assert _rate(api, code, new) == 201
    with api.office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(code)
        assert dossier is not None
        events = [e for e in uow.audit.events(dossier_chain(dossier.id)) if e.kind == RENEWED]
    assert [(e.actor, e.data) for e in events] == [("applicant", {"channel": "sms"})]


def test_wrong_details_get_the_same_answer_and_change_nothing(api: ApiOffice) -> None:
    receipt = _finished(api)
    code = receipt["code"]
    for address, body in (("198.51.100.2", {"phone": "0912345679"}),
                          ("198.51.100.3", {"id_number": "001085012346"})):
        answer = _recover(api, code, address, **body)
        assert answer.status_code == 202 and answer.json() == {"detail": SENT_SMS}
    unknown = _recover(api, "000.00.81.H26-260303-9999", "198.51.100.4")
    assert unknown.status_code == 202 and unknown.json() == {"detail": SENT_SMS}
    # No e-mail on file: nothing is sent, and the old secret is kept.
    by_mail = _recover(api, code, "198.51.100.5", channel="email")
    assert by_mail.status_code == 202 and "thư điện tử" in by_mail.json()["detail"]
    assert _messages(api, code) == []
    assert _rate(api, code, receipt["secret"]) == 201


@pytest.mark.parametrize(("body", "field"), [
    ({"channel": "fax"}, "channel"), ({"phone": ""}, "phone"), ({"id_number": "x" * 41},
                                                                "id_number"),
])
def test_bad_requests_are_422_naming_the_field(api: ApiOffice, body: dict[str, Any],
                                               field: str) -> None:
    answer = _recover(api, "000.00.81.H26-260303-0001", "198.51.100.6", **body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


def test_recovery_is_limited_per_dossier_code_and_per_address(api: ApiOffice) -> None:
    code = api.submit()["code"]
    for n in range(3):  # from three addresses: the code's own limit
        assert _recover(api, code, f"203.0.113.{10 + n}").status_code == 202
    late = _recover(api, code, "203.0.113.20")
    assert late.status_code == 429 and "hồ sơ này" in late.json()["detail"]
    assert len(_messages(api, code)) == 3
    # One address trying many codes meets the address's limit.
    codes = [api.submit()["code"] for _ in range(7)]
    answers = [_recover(api, c, "203.0.113.30").status_code for c in codes]
    assert answers == [202] * 6 + [429]


def test_the_web_page_sends_and_says_the_same_either_way(api: ApiOffice) -> None:
    receipt = api.submit()
    web = httpx.Client(base_url=api.url, headers={"X-Forwarded-For": "192.0.2.7"})
    form = web.get("/tra-cuu/quen-ma", params={"code": receipt["code"].lower()})
    assert form.status_code == 200 and f'value="{receipt["code"]}"' in form.text
    sent = web.post("/tra-cuu/quen-ma", data={
        "csrf": csrf_of(form.text), "code": receipt["code"], "id_number": APPLICANT["id_number"],
        "phone": APPLICANT["phone"], "channel": "sms"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/tra-cuu/quen-ma?code={receipt['code']}&sent=sms"
    page = web.get(sent.headers["location"])
    assert SENT_SMS in page.text
    [sms] = _messages(api, receipt["code"])
    assert sms.body.split(receipt["code"])[-1].strip(" .:")[-8:] not in page.text
    wrong = web.post("/tra-cuu/quen-ma", data={
        "csrf": csrf_of(form.text), "code": receipt["code"], "id_number": "001085099999",
        "phone": APPLICANT["phone"], "channel": "sms"})
    assert wrong.status_code == 303 and wrong.headers["location"] == sent.headers["location"]
    bad = web.post("/tra-cuu/quen-ma", data={
        "csrf": csrf_of(form.text), "code": receipt["code"], "id_number": "",
        "phone": APPLICANT["phone"], "channel": "sms"})
    assert bad.status_code == 422 and "alert error" in bad.text
    status = web.get(f"/tra-cuu/{receipt['code']}")
    assert "/tra-cuu/quen-ma" in web.get("/tra-cuu").text
    assert status.status_code == 200
