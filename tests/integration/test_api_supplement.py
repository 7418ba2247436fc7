"""The applicant's online supplement over HTTP: the secret in a header or the form body,
refusals as problem+json in the reader's language, and the step answered as the applicant."""

from __future__ import annotations

from typing import Any

from tests.features.api_steps import ApiOffice, local, web_session

PDF = b"%PDF-1.7\n" + b"ban ve " * 200
BUILDING = {"chu_dau_tu": "Đặng Văn Khoa", "dia_chi_cong_trinh": "Tổ 7, phường Văn Quán",
            "dien_tich_xay_dung": 60, "so_tang": 3}
PATH = "/public/dossiers/{code}/supplement"


def _asked(api: ApiOffice) -> dict[str, Any]:
    api.at(local(2026, 3, 30, 9, 0))  # Monday
    receipt = api.submit("cap_phep_xay_dung", BUILDING)
    api.do_step(receipt["code"], {"ket_qua_kiem_tra": "hop_le"})
    api.do_step(receipt["code"], {"ket_qua_tham_dinh": "bo_sung",
                                  "noi_dung_bo_sung": "Bản vẽ mặt bằng tầng 3"})
    return receipt


def _send(api: ApiOffice, code: str, secret: str, files: list[tuple[str, bytes]],
          lang: str = "vi") -> Any:
    return api.client().post(PATH.format(code=code), data={"secret": secret}, files=[
        ("files", (name, data, "application/octet-stream")) for name, data in files],
        headers={"Accept-Language": lang})


def test_the_applicant_reads_the_request_and_answers_it(api: ApiOffice) -> None:
    receipt = _asked(api)
    code, secret = receipt["code"], receipt["secret"]
    seen = api.client().get(PATH.format(code=code), headers={"X-Receipt-Secret": secret})
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["kind"] == "step" and body["late"] is False
    assert [m["name"] for m in body["missing"]] == ["Bản vẽ mặt bằng tầng 3"]
    assert body["missing"][0]["slot"] == "Task_TiepNhanBoSung"

    api.at(local(2026, 4, 1, 10, 0))
    sent = _send(api, code, secret, [("mat-bang.pdf", PDF)])
    assert sent.status_code == 201, sent.text
    assert sent.json()["files"] == 1
    assert api.dossier(code)["status"] == "processing"
    sheet = api.client("auditor").get(f"/dossiers/{code}/timeline").json()
    [pause] = sheet["pauses"]
    assert pause["resumed_at"] == "2026-04-01T10:00:00+07:00" and pause["paused_hours"] == 16.0
    assert sheet["due_history"][-1]["kind"] == "pause"
    assert api.current(code)["step_id"] == "Task_ThamDinh"
    again = api.client().get(PATH.format(code=code), headers={"X-Receipt-Secret": secret})
    assert again.status_code == 409


def test_refusals_are_problems_in_the_reader_s_language(api: ApiOffice) -> None:
    receipt = _asked(api)
    code, secret = receipt["code"], receipt["secret"]
    wrong = api.client().get(PATH.format(code=code), headers={"X-Receipt-Secret": "SAI12345"})
    assert wrong.status_code == 403
    assert wrong.headers["content-type"] == "application/problem+json"
    assert "mã bí mật" in wrong.json()["detail"]
    no_secret = api.client().get(PATH.format(code=code))
    assert no_secret.status_code == 422
    kind = _send(api, code, secret, [("a.txt", b"hello world, not a scan")], "en")
    assert kind.status_code == 422 and "PDF, JPEG or PNG" in kind.json()["detail"]
    big = _send(api, code, secret, [("big.pdf", PDF * 8000)])
    assert big.status_code == 413
    assert api.dossier(code)["status"] == "awaiting_supplement"
    files = api.client("auditor").get(f"/dossiers/{code}/files").json()["files"]
    assert files == []


def test_the_desk_sees_an_online_answer_to_its_request_and_checks_again(
        api: ApiOffice) -> None:
    api.at(local(2026, 3, 30, 9, 0))
    receipt = api.submit()
    code = receipt["code"]
    asked = api.client("reception").post(f"/dossiers/{code}/check", json={
        "documents": [], "decision": "supplement", "reasons": "Thiếu bản chính"})
    assert asked.status_code == 200, asked.text
    seen = api.client().get(PATH.format(code=code),
                            headers={"X-Receipt-Secret": receipt["secret"]}).json()
    assert seen["kind"] == "desk" and seen["reasons"] == "Thiếu bản chính"
    api.at(local(2026, 3, 30, 14, 0))
    sent = api.client().post(PATH.format(code=code), data={"secret": receipt["secret"]},
                             files=[("files", ("ban-chinh.pdf", PDF, "application/pdf"))])
    assert sent.status_code == 201, sent.text  # the request's one slot, left unnamed
    page = web_session(api, "reception").get(f"/ho-so/{code}/kiem-tra")
    assert page.status_code == 200
    assert 'id="supplemented-online"' in page.text and "14:00 30/03/2026" in page.text
    assert "Người nộp hồ sơ (trực tuyến)" in page.text  # who attached the scan
    accepted = api.client("reception").post(f"/dossiers/{code}/check", json={
        "documents": [{"code": "ban_chinh", "form": "original", "count": 1}],
        "decision": "accept"})
    assert accepted.status_code == 200, accepted.text
    assert api.current(code)["department"] == "TU_PHAP"
    page = web_session(api, "reception").get(f"/ho-so/{code}/kiem-tra")
    assert 'id="supplemented-online"' not in page.text
