"""What applicants reach without an account: the status by code, and the rating."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.features.api_steps import APPLICANT, ApiOffice, local

PROBLEM = "application/problem+json"


def _rate(api: ApiOffice, code: str, **body: Any) -> Any:
    return api.client().post(f"/public/dossiers/{code}/rating", json=body)


def test_the_status_page_shows_progress_and_no_personal_data(api: ApiOffice) -> None:
    api.at(local(2026, 3, 3, 9, 0))
    code = api.submit()["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    answer = api.client().get(f"/public/dossiers/{code}")
    assert answer.status_code == 200
    body = answer.json()
    assert body == {
        "code": code, "procedure_name": "Chứng thực bản sao từ bản chính",
        "status": "processing", "received_at": "2026-03-03T09:00:00+07:00",
        "due_at": "2026-03-03T17:00:00+07:00", "resolved_at": None,
        "return_at": "2026-03-03T17:00:00+07:00", "deadline_status": "due_today",
        "steps_done": 1, "current_steps": ["Đối chiếu bản sao với bản chính"], "rated": False,
        "stage": "processing", "appointment_at": None,
        "steps": [{"name": "Tiếp nhận, kiểm tra hồ sơ",
                   "finished_at": "2026-03-03T09:00:00+07:00"}],
    }
    assert APPLICANT["name"] not in answer.text
    assert "Bằng tốt nghiệp" not in answer.text


def test_unknown_codes_are_404(api: ApiOffice) -> None:
    answer = api.client().get("/public/dossiers/000.00.81.H26-260303-9999")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM


def test_a_finished_dossier_is_rated_once_with_the_receipt_secret(api: ApiOffice) -> None:
    api.at(local(2026, 3, 4, 9, 0))
    receipt = api.submit()
    code, secret = receipt["code"], receipt["secret"]
    early = _rate(api, code, secret=secret, satisfaction=5)
    assert early.status_code == 409  # not finished yet
    assert early.json()["type"] == "https://motcua.dev/problems/not-finished"
    api.certify(code)

    wrong = _rate(api, code, secret="AAAAAAAA", satisfaction=5)
    assert wrong.status_code == 403
    assert wrong.headers["content-type"] == PROBLEM
    rated = _rate(api, code, secret=secret.lower(), satisfaction=4, on_time=True,
                  staff_attitude=5, visits=1, comment="  Nhanh, chu đáo.  ")
    assert rated.status_code == 201, rated.text
    assert rated.json()["satisfaction"] == 4
    assert rated.json()["comment"] == "Nhanh, chu đáo."
    assert api.client().get(f"/public/dossiers/{code}").json()["rated"] is True
    again = _rate(api, code, secret=secret, satisfaction=1)
    assert again.status_code == 409
    assert _rate(api, "000.00.81.H26-260304-9999", secret=secret,
                 satisfaction=3).status_code == 404


def test_a_refused_dossier_can_be_rated_too(api: ApiOffice) -> None:
    receipt = api.submit()
    api.do_step(receipt["code"], {"ket_qua_kiem_tra": "tu_choi",
                                  "ly_do_tu_choi": "Bản chính bị tẩy xóa"})
    public = api.client().get(f"/public/dossiers/{receipt['code']}").json()
    assert public["status"] == "not_accepted"
    answer = _rate(api, receipt["code"], secret=receipt["secret"], satisfaction=2)
    assert answer.status_code == 201


@pytest.mark.parametrize(("body", "field"), [
    ({"satisfaction": 6}, "satisfaction"), ({"satisfaction": 0}, "satisfaction"),
    ({"satisfaction": 3, "staff_attitude": 9}, "staff_attitude"),
    ({"satisfaction": 3, "visits": -1}, "visits"),
    ({"satisfaction": 3, "comment": "x" * 2001}, "comment"),
    ({"satisfaction": 3, "comment": "a\x00b"}, "comment"),
    ({"satisfaction": 3, "stars": 5}, "stars"),
    ({}, "satisfaction"),
])
def test_bad_ratings_are_422_naming_the_field(api: ApiOffice, body: dict[str, Any],
                                              field: str) -> None:
    receipt = api.submit()
    answer = _rate(api, receipt["code"], secret=receipt["secret"], **body)
    assert answer.status_code == 422
    assert answer.json()["field"] == field


def test_a_code_typed_in_lower_case_or_with_spaces_is_found(api: ApiOffice) -> None:
    api.at(local(2026, 3, 4, 9, 0))
    receipt = api.submit()
    code = receipt["code"]
    typed = code.lower()
    answer = api.client().get(f"/public/dossiers/{typed}")
    assert answer.status_code == 200 and answer.json()["code"] == code
    # The lookup form takes what was copied off a receipt: spaces around the parts, any case.
    spaced = " ".join(typed.replace("-", " - ").split(" "))
    form = httpx.get(f"{api.url}/tra-cuu", params={"code": f"  {spaced} "})
    assert form.status_code == 303 and form.headers["location"] == f"/tra-cuu/{code}"
    page = httpx.get(f"{api.url}/tra-cuu/{typed}")
    assert page.status_code == 200 and code in page.text
    api.certify(code)
    rated = _rate(api, typed, secret=receipt["secret"], satisfaction=5)
    assert rated.status_code == 201, rated.text
    assert api.client().get(f"/public/dossiers/{code}").json()["rated"] is True
