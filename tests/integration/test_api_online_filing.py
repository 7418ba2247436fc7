"""Online filing with scans over the API (``POST /public/filings``): the dossier lands with
its files and channel online, out of hours it counts from the next opening, every bad input
is a problem in the applicant's language with nothing written, the quota per address, and
the desk checks the filing as one made in person.

The server trusts 127.0.0.1 as its proxy, so each test speaks from addresses of its own.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from engine.store.tables import attachments, audit_events, dossiers
from tests.conftest import DB_PARAMS, local
from tests.features.api_steps import APPLICANT, COPY, ApiOffice, serving

PROBLEM = "application/problem+json"
PDF = b"%PDF-1.7\n" + b"ban chinh bang tot nghiep " * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x07" * 500
LIMITS = {"public_filing_limit": "6/hour", "file_max_bytes": 64 * 1024,
          "dossier_files_max_bytes": 100 * 1024, "trusted_proxies": "127.0.0.1"}


@pytest.fixture(scope="module", params=DB_PARAMS)
def api(request: pytest.FixtureRequest) -> Iterator[ApiOffice]:
    with serving(request.param, **LIMITS) as running:
        yield running


def _file(api: ApiOffice, address: str, files: list[tuple[str, str, bytes]],
          procedure: str = "chung_thuc_ban_sao", data: dict[str, Any] | None = None,
          lang: str = "vi", client: httpx.Client | None = None,
          **extra: Any) -> httpx.Response:
    filing = {"procedure": procedure, "data": COPY if data is None else data,
              "applicant": {**APPLICANT, "email": "an.nguyen@example.vn",
                            "notify": ["email", "sms"]}, **extra}
    return (client or api.client()).post(
        "/public/filings", data={"filing": json.dumps(filing), "documents": [f[0] for f in files]},
        files=[("files", (name, body, "application/pdf")) for _, name, body in files],
        headers={"X-Forwarded-For": address, "Accept-Language": lang})


# Each bad input from an address of its own: refused filings count against the quota too.
ADDRESSES = (f"198.51.100.{n}" for n in itertools.count(100))
TWO = [("ban_chinh", "bằng tốt nghiệp.pdf", PDF), ("ban_sao", "ban-sao.png", PNG)]


def _counts(api: ApiOffice) -> tuple[int, int, int]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        return tuple(  # type: ignore[return-value]
            int(uow.conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for t in (dossiers, attachments, audit_events))


def test_a_filing_with_two_scans_lands_online_with_its_files(api: ApiOffice) -> None:
    answer = _file(api, "198.51.100.1", TWO)
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert len(receipt["secret"]) == 8 and receipt["code"].startswith("000.00.81.H26-260303-")
    dossier = api.dossier(receipt["code"])
    assert dossier["channel"] == "online"
    assert dossier["applicant"]["email"] == "an.nguyen@example.vn"
    assert dossier["applicant"]["notify"] == ["email", "sms"]
    files = api.client("reception").get(f"/dossiers/{receipt['code']}/files").json()["files"]
    assert [(f["slot"], f["filename"], f["kind"], f["size"]) for f in files] == [
        ("ban_chinh", "bằng tốt nghiệp.pdf", "pdf", len(PDF)),
        ("ban_sao", "ban-sao.png", "png", len(PNG))]
    # The files are in the dossier's hash chain, which still verifies.
    assert api.client("auditor").get("/audit/verify").json()["intact"]


def test_filed_out_of_hours_it_counts_from_the_next_opening(api: ApiOffice) -> None:
    evening = local(2026, 3, 3, 20, 30)
    api.at(evening)
    try:
        answer = _file(api, "198.51.100.2", TWO[:1])
    finally:
        api.at(local(2026, 3, 3, 9, 0))
    assert answer.status_code == 201, answer.text
    calendar = api.office.calendar
    opening = calendar.next_opening(evening)
    assert opening == local(2026, 3, 4, 8, 0)
    due = calendar.statutory_due(opening, 0, "same_day")
    assert answer.json()["due_at"] == calendar.local_time(due).isoformat()


@pytest.mark.parametrize(("files", "extra", "status", "says"), [
    (TWO, {"procedure": "khong_co_thu_tuc"}, 404, "khong_co_thu_tuc"),
    (TWO, {"receiving_unit": "999.99.99.H99"}, 422, "999.99.99.H99"),
    (TWO[1:], {}, 422, "Thiếu bản chụp giấy tờ bắt buộc"),
    ([("ban_chinh", "scan.pdf", b"day la van ban, khong phai PDF")], {}, 422,
     "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
    ([("ban_chinh", "to.pdf", b"%PDF-" + b"x" * (64 * 1024))], {}, 413, "64 KB"),
    (TWO, {"data": {**COPY, "pages": "năm"}}, 422, "pages"),
    ([("giay_khac", "a.pdf", PDF)], {}, 422, "giay_khac"),
])
def test_bad_input_is_a_problem_in_vietnamese_and_writes_nothing(
        api: ApiOffice, files: list[tuple[str, str, bytes]], extra: dict[str, Any],
        status: int, says: str) -> None:
    before = _counts(api)
    answer = _file(api, next(ADDRESSES), files, **extra)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert says in answer.json()["detail"], answer.json()
    assert _counts(api) == before


def test_the_problem_speaks_english_when_asked(api: ApiOffice) -> None:
    answer = _file(api, "198.51.100.4", TWO[1:], lang="en")
    assert answer.status_code == 422
    assert "A required document's scan is missing" in answer.json()["detail"]


def test_filings_are_limited_per_address(api: ApiOffice) -> None:
    for _ in range(6):
        assert _file(api, "198.51.100.50", TWO[:1]).status_code == 201
    before = _counts(api)
    refused = _file(api, "198.51.100.50", TWO[:1])
    assert refused.status_code == 429 and refused.headers["content-type"] == PROBLEM
    assert int(refused.headers["retry-after"]) >= 1
    assert _counts(api) == before
    assert _file(api, "198.51.100.51", TWO[:1]).status_code == 201


def test_the_desk_checks_the_filing_with_its_scans_and_accepts(api: ApiOffice) -> None:
    code = _file(api, "198.51.100.6", TWO).json()["code"]
    assert api.current(code)["department"] == "MOT_CUA"  # waits for the desk's check
    desk = api.client("reception").get(f"/dossiers/{code}/files").json()
    assert {f["slot"] for f in desk["files"]} == {"ban_chinh", "ban_sao"}
    checked = api.client("reception").post(f"/dossiers/{code}/check", json={
        "decision": "accept", "documents": [{"code": "ban_chinh"}, {"code": "ban_sao"}]})
    assert checked.status_code == 200, checked.text
    assert [d["code"] for d in checked.json()["received"]] == ["ban_chinh", "ban_sao"]
    assert api.current(code)["department"] == "TU_PHAP"  # accepted: on to the justice office


def test_filings_at_the_same_moment_each_land_whole_with_a_code_of_their_own(
        api: ApiOffice) -> None:
    before = _counts(api)

    def one(n: int) -> httpx.Response:
        with api.new_client() as client:
            return _file(api, f"198.51.100.{200 + n}", TWO, client=client)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(one, range(4)))
    assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
    codes = {a.json()["code"] for a in answers}
    assert len(codes) == 4
    after = _counts(api)
    assert (after[0] - before[0], after[1] - before[1]) == (4, 8)
    for code in codes:
        files = api.client("auditor").get(f"/dossiers/{code}/files").json()["files"]
        assert sorted(f["slot"] for f in files) == ["ban_chinh", "ban_sao"]
    assert api.client("auditor").get("/audit/verify").json()["intact"]


def test_the_catalogue_lists_desks_and_procedures_with_their_documents(api: ApiOffice) -> None:
    found = api.client().get("/public/filings/catalogue").json()
    assert "000.00.81.H26" in {u["agency_code"] for u in found["units"]}
    copy = next(p for p in found["procedures"] if p["key"] == "chung_thuc_ban_sao")
    assert copy["deadline_unit"] == "same_day" and copy["level"] == "commune"
    assert [(d["code"], d["required"]) for d in copy["documents"]] == [
        ("ban_chinh", True), ("ban_sao", False)]
    assert "226/2016/TT-BTC" in copy["legal_source"]
