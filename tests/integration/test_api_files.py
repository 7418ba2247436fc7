"""A dossier's files over HTTP: attach (multipart), list, download, and the problems."""

from __future__ import annotations

from urllib.parse import unquote

from engine.files import LocalFileStore
from tests.features.api_steps import ApiOffice

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x02" * 200
PDF = b"%PDF-1.5\n" + b"ban ve" * 300


def _upload(api: ApiOffice, user: str, code: str, slot: str, name: str, data: bytes,
            content_type: str = "application/octet-stream", lang: str = "vi") -> dict:
    answer = api.client(user).post(f"/dossiers/{code}/files", data={"slot": slot},
                                   files={"file": (name, data, content_type)},
                                   headers={"Accept-Language": lang})
    return {"status": answer.status_code, "type": answer.headers["content-type"],
            "body": answer.json()}


def test_the_desk_attaches_lists_and_a_reader_downloads(api: ApiOffice) -> None:
    code = api.submit()["code"]
    sent = _upload(api, "reception", code, "Task_KiemTraHoSo", "CCCD mặt trước.png", PNG,
                   "application/pdf")  # the claimed type is ignored: the bytes are a PNG
    assert sent["status"] == 201, sent
    body = sent["body"]
    assert (body["kind"], body["content_type"], body["size"]) == ("png", "image/png", len(PNG))
    listed = api.client("auditor").get(f"/dossiers/{code}/files").json()
    assert [f["filename"] for f in listed["files"]][:1] == ["CCCD mặt trước.png"]
    assert listed["files"][0]["attached_by_name"] == "Nguyễn Thị Lan"
    assert listed["slots"] == []  # the auditor attaches nothing
    desk = api.client("reception").get(f"/dossiers/{code}/files").json()
    # The procedure's documents (the original, the copy) and the desk's open step.
    assert [(s["code"], s["kind"]) for s in desk["slots"]] == [
        ("ban_chinh", "document"), ("ban_sao", "document"), ("Task_KiemTraHoSo", "step")]
    document = _upload(api, "reception", code, "ban_chinh", "bang-tot-nghiep.pdf", PDF)
    assert document["status"] == 201, document
    assert document["body"]["slot_name"].startswith("Bản chính giấy tờ")
    got = api.client("leader").get(f"/dossiers/{code}/files/{body['id']}")
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "CCCD mặt trước.png"
    events = api.client("auditor").get(f"/dossiers/{code}/timeline").status_code
    assert events == 200


def test_wrong_kind_too_large_and_unknown_slot_are_problems_in_vietnamese(
        api: ApiOffice) -> None:
    code = api.submit()["code"]
    exe = _upload(api, "reception", code, "Task_KiemTraHoSo", "scan.pdf", b"MZ\x90\x00exe")
    assert exe["status"] == 422 and exe["type"] == "application/problem+json"
    assert "PDF, JPEG hoặc PNG" in exe["body"]["detail"]
    big = _upload(api, "reception", code, "Task_KiemTraHoSo", "big.pdf",
                  b"%PDF-" + b"x" * (10 * 1024 * 1024))
    assert big["status"] == 413 and "10 MB" in big["body"]["detail"], big
    unknown = _upload(api, "reception", code, "KHONG_CO", "a.png", PNG)
    assert unknown["status"] == 422 and "KHONG_CO" in unknown["body"]["detail"]
    english = _upload(api, "reception", code, "KHONG_CO", "a.png", PNG, lang="en")
    assert "no document or step" in english["body"]["detail"]
    assert api.client("auditor").get(f"/dossiers/{code}/files").json()["files"] == []


def test_a_department_attaches_to_its_open_step_only(api: ApiOffice) -> None:
    code = api.submit()["code"]
    early = _upload(api, "justice", code, "Task_XuLy", "ban-chinh.pdf", PDF)
    assert early["status"] == 403, early  # the dossier has not reached the justice office
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    late = _upload(api, "reception", code, "Task_KiemTraHoSo", "a.png", PNG)
    assert late["status"] == 403 and code in late["body"]["detail"]
    done = _upload(api, "justice", code, "Task_XuLy", "ban-chinh.pdf", PDF)
    assert done["status"] == 201 and done["body"]["slot_name"] == "Đối chiếu bản sao với bản chính"
    other = _upload(api, "reception.duongnoi", code, "Task_XuLy", "x.pdf", PDF)
    assert other["status"] == 403
    missing = api.client("auditor").get(f"/dossiers/{code}/files/999999")
    assert missing.status_code == 404
    anonymous = api.client(None).get(f"/dossiers/{code}/files")
    assert anonymous.status_code == 401


def test_the_auditors_log_check_reports_a_file_gone_from_the_store(api: ApiOffice) -> None:
    code = api.submit()["code"]
    sent = _upload(api, "reception", code, "Task_KiemTraHoSo", "giay-to.png", PNG + b"gone")
    assert sent["status"] == 201
    before = api.client("auditor").get("/audit/verify").json()
    assert before["files_checked"] >= 1
    store = api.office.files
    assert isinstance(store, LocalFileStore)
    store.path(sent["body"]["sha256"]).unlink()
    after = api.client("auditor").get("/audit/verify").json()
    assert not after["intact"]
    gone = [b for b in after["breaks"] if "giay-to.png" in b["reason"]]
    assert gone and gone[0]["dossier_code"] == code
    assert "không còn trong kho tệp" in gone[0]["reason"]
    assert api.client("auditor").get(
        f"/dossiers/{code}/files/{sent['body']['id']}").status_code == 404
