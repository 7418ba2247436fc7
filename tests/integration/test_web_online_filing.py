"""Online filing in the web pages, as a browser without JavaScript: choose the desk and the
procedure, the desk's start form with a file per document, the review, the answer with the
secret once; every bad input a page in Vietnamese with nothing written; the scans' quota; the
desk's checklist holding the applicant's scans."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from lxml import html as lxml_html

from engine.service import deploy
from engine.store.tables import attachments, audit_events, dossiers, outbox
from tests.conftest import DB_PARAMS, PROCESSES, definition_files
from tests.features.api_steps import ApiOffice, csrf_of, serving, web_session

PDF = b"%PDF-1.7\n" + b"ban chinh bang tot nghiep " * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x07" * 500
LIMITS = {"public_scans_limit": "8/hour", "file_max_bytes": 64 * 1024,
          "trusted_proxies": "127.0.0.1"}
FORM = {"applicant_name": "Trần Thị Bình", "applicant_phone": "0912345678",
        "applicant_email": "binh.tran@example.vn", "notify": ["email", "sms"],
        "f_ten_giay_to": "Bằng tốt nghiệp", "f_pages": "5", "f_copies": "2"}
TWO = {"tep_ban_chinh": ("bằng tốt nghiệp.pdf", PDF, "application/pdf"),
       "tep_ban_sao": ("ban-sao.png", PNG, "image/png")}
ADDRESSES = (f"198.51.100.{n}" for n in itertools.count(1))
REVIEW = "/nop-truc-tuyen/chung_thuc_ban_sao/xem-lai"


@pytest.fixture(scope="module", params=DB_PARAMS)
def api(request: pytest.FixtureRequest) -> Iterator[ApiOffice]:
    with serving(request.param, **LIMITS) as running:
        yield running


def _browser(api: ApiOffice) -> tuple[httpx.Client, str]:
    """A visitor without an account, from an address of its own, and its CSRF token."""
    web = httpx.Client(base_url=api.url, headers={"X-Forwarded-For": next(ADDRESSES)})
    page = web.get("/nop-truc-tuyen/chung_thuc_ban_sao?don_vi=000.00.81.H26")
    assert page.status_code == 200, page.text
    return web, csrf_of(page.text)


def _review(web: httpx.Client, csrf: str, files: dict[str, Any] | None = None,
            **changes: Any) -> httpx.Response:
    data = {"csrf": csrf, "don_vi": "000.00.81.H26", **FORM, **changes}
    return web.post(REVIEW, data=data, files=TWO if files is None else files)


def _counts(api: ApiOffice) -> tuple[int, ...]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        return tuple(int(uow.conn.execute(sa.select(sa.func.count()).select_from(t))
                         .scalar_one()) for t in (dossiers, attachments, audit_events))


def _file(api: ApiOffice) -> str:
    web, csrf = _browser(api)
    review = _review(web, csrf)
    assert review.status_code == 200, review.text
    token = lxml_html.fromstring(review.text).xpath("//input[@name='review']/@value")[0]
    sent = web.post("/nop-truc-tuyen/chung_thuc_ban_sao/gui",
                    data={"csrf": csrf, "review": token})
    assert sent.status_code == 303, sent.text
    found = re.fullmatch(r"/nop-truc-tuyen/da-nop/(.+)", sent.headers["location"])
    assert found
    return found.group(1)


def test_public_pages_lead_to_online_filing(api: ApiOffice) -> None:
    for path in ("/dang-nhap", "/tra-cuu"):
        page = lxml_html.fromstring(httpx.get(api.url + path).text)
        assert page.xpath("//nav//a[@href='/nop-truc-tuyen']/text()") == ["Nộp hồ sơ trực tuyến"]
    assert 'id="online-filing-link"' in httpx.get(api.url + "/dang-nhap").text


def test_the_catalogue_shows_documents_deadline_fee_and_where_resolved(
        api: ApiOffice) -> None:
    page = httpx.get(api.url + "/nop-truc-tuyen").text
    tree = lxml_html.fromstring(page)
    copy = tree.xpath("//article[.//input[@value='chung_thuc_ban_sao']]")[0].text_content()
    assert "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao" in copy
    assert "Trong ngày" in copy or "trong ngày" in copy
    assert "226/2016/TT-BTC" in copy and "cấp xã" in copy.lower()
    chosen = httpx.get(api.url + "/nop-truc-tuyen",
                       params={"don_vi": "000.00.81.H26", "thu_tuc": "chung_thuc_ban_sao"})
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/nop-truc-tuyen/chung_thuc_ban_sao?don_vi=000.00.81.H26"


def test_a_filing_with_two_scans_is_reviewed_sent_and_shows_its_secret_once(
        api: ApiOffice) -> None:
    web, csrf = _browser(api)
    before = _counts(api)
    review = _review(web, csrf)
    assert review.status_code == 200, review.text
    assert _counts(api) == before  # the review records nothing
    tree = lxml_html.fromstring(review.text)
    scans = tree.xpath("//ul[@id='review-scans']/li")
    assert [s.get("data-scan-for") for s in scans] == ["ban_chinh", "ban_sao"]
    assert "bằng tốt nghiệp.pdf" in scans[0].text_content()
    fee = tree.xpath("//dd[@id='review-fee']")[0].text_content()
    # Two copies of five pages: 2.000 + 2.000 + 3 × 1.000 each (Circular 226/2016/TT-BTC).
    assert fee.replace("\xa0", " ") == "14.000 đ"
    token = tree.xpath("//input[@name='review']/@value")[0]
    sent = web.post("/nop-truc-tuyen/chung_thuc_ban_sao/gui", data={"csrf": csrf,
                                                                    "review": token})
    assert sent.status_code == 303 and "secret" not in sent.headers["location"].lower()
    answer = web.get(sent.headers["location"])
    secret = lxml_html.fromstring(answer.text).xpath("//strong[@id='receipt-secret']/text()")
    assert len(secret) == 1 and len(secret[0]) == 8
    assert "Bộ phận một cửa sẽ kiểm tra hồ sơ" in answer.text
    again = web.get(sent.headers["location"])
    assert 'id="receipt-secret"' not in again.text and 'id="secret-gone"' in again.text
    code = sent.headers["location"].rsplit("/", 1)[1]
    dossier = api.dossier(code)
    assert dossier["channel"] == "online"
    assert dossier["applicant"]["notify"] == ["email", "sms"]
    files = api.client("auditor").get(f"/dossiers/{code}/files").json()["files"]
    assert [(f["slot"], f["filename"]) for f in files] == [
        ("ban_chinh", "bằng tốt nghiệp.pdf"), ("ban_sao", "ban-sao.png")]
    # Sent twice (a second click, the back button): one dossier only.
    before = _counts(api)
    twice = web.post("/nop-truc-tuyen/chung_thuc_ban_sao/gui", data={"csrf": csrf,
                                                                     "review": token})
    assert twice.status_code == 409 and "đã được gửi" in twice.text
    assert _counts(api) == before


@pytest.mark.parametrize(("files", "changes", "status", "says"), [
    ({"tep_ban_sao": TWO["tep_ban_sao"]}, {}, 422, "Hãy chọn tệp bản chụp của giấy tờ này"),
    ({"tep_ban_chinh": ("scan.pdf", b"chi la van ban", "application/pdf")}, {}, 422,
     "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
    ({"tep_ban_chinh": ("to.pdf", b"%PDF-" + b"x" * (64 * 1024), "application/pdf")}, {},
     413, "64 KB"),
    (None, {"f_pages": "năm"}, 422, "aria-invalid"),
    (None, {"applicant_email": "khong-phai-thu"}, 422,
     "Địa chỉ thư điện tử không đúng dạng"),
    (None, {"applicant_phone": "", "notify": ["sms"]}, 422, "nhận thông báo qua tin nhắn SMS"),
])
def test_bad_input_is_a_page_in_vietnamese_and_writes_nothing(
        api: ApiOffice, files: dict[str, Any] | None, changes: dict[str, str], status: int,
        says: str) -> None:
    web, csrf = _browser(api)
    before = _counts(api)
    answer = _review(web, csrf, files, **changes)
    assert answer.status_code == status, answer.text
    assert says in answer.text
    assert 'lang="vi"' in answer.text
    assert _counts(api) == before


def test_an_unknown_procedure_or_unit_is_a_page(api: ApiOffice) -> None:
    unknown = httpx.get(api.url + "/nop-truc-tuyen/khong_co_thu_tuc")
    assert unknown.status_code == 404 and "khong_co_thu_tuc" in unknown.text
    unit = httpx.get(api.url + "/nop-truc-tuyen/chung_thuc_ban_sao?don_vi=999.99.99.H99")
    assert unit.status_code == 422 and "999.99.99.H99" in unit.text


def test_a_forged_review_files_nothing(api: ApiOffice) -> None:
    web, csrf = _browser(api)
    before = _counts(api)
    sent = web.post("/nop-truc-tuyen/chung_thuc_ban_sao/gui",
                    data={"csrf": csrf, "review": "eyJhbGciOiJIUzI1NiJ9.e30.forged"},
                    headers={"Accept": "text/html"})
    assert sent.status_code in (303, 422)
    refused = web.get(sent.headers["location"]) if sent.status_code == 303 else sent
    assert "Trang xem lại đã hết hạn hoặc không hợp lệ" in refused.text
    assert _counts(api) == before


def test_scans_sent_for_review_are_limited_per_address(api: ApiOffice) -> None:
    web, csrf = _browser(api)
    for _ in range(8):
        assert _review(web, csrf).status_code == 200
    refused = _review(web, csrf)
    assert refused.status_code in (303, 429)
    page = web.get(refused.headers["location"]) if refused.status_code == 303 else refused
    assert "Quá nhiều" in page.text or "quá nhiều" in page.text


def _messages(api: ApiOffice, code: str) -> list[tuple[str, str]]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        rows = uow.conn.execute(sa.select(outbox.c.kind, outbox.c.channel).join(
            dossiers, dossiers.c.id == outbox.c.dossier_id).where(dossiers.c.code == code)
            .order_by(outbox.c.channel)).all()
    return [(r.kind, r.channel) for r in rows]


def test_the_desk_sees_the_applicants_scans_in_its_checklist_and_accepts(
        api: ApiOffice) -> None:
    code = _file(api)
    # Filing sends no receipt: the receipt comes when the desk accepts.
    assert _messages(api, code) == []
    desk = web_session(api, "reception")
    page = desk.get(f"/ho-so/{code}/kiem-tra")
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.text)
    slot = tree.xpath("//div[@data-scan-slot='ban_chinh']")[0].text_content()
    assert "bằng tốt nghiệp.pdf" in slot and "Trần Thị Bình" in slot
    assert "ban-sao.png" in tree.xpath("//div[@data-scan-slot='ban_sao']")[0].text_content()
    accepted = desk.post(f"/ho-so/{code}/kiem-tra", data={
        "csrf": csrf_of(page.text), "decision": "accept", "doc_ban_chinh": "1",
        "form_ban_chinh": "original", "count_ban_chinh": "1"})
    assert accepted.headers["location"] == f"/ho-so/{code}/da-tiep-nhan"
    assert api.current(code)["department"] == "TU_PHAP"
    # The applicant is told the way they chose: by e-mail and by SMS.
    assert _messages(api, code) == [("received", "email"), ("received", "sms")]


# Last in the module: it deploys a new version of the procedure.
def test_the_sending_checks_again_against_the_version_in_force(api: ApiOffice) -> None:
    web, csrf = _browser(api)
    review = _review(web, csrf)
    assert review.status_code == 200, review.text
    token = lxml_html.fromstring(review.text).xpath("//input[@name='review']/@value")[0]
    # Between the review and the sending, the procedure comes to require one more document.
    files = definition_files(PROCESSES)
    name = "chung_thuc_ban_sao.bpmn"
    files[name] = files[name].replace(
        b'<motcua:document code="ban_sao"',
        b'<motcua:document code="giay_uy_quyen" name="Giay uy quyen cong chung" form="original"'
        b' count="1" required="true" confirmed="false"/>\n        <motcua:document code="ban_sao"')
    deploy.deploy(api.office, files, "designer")
    before = _counts(api)
    sent = web.post("/nop-truc-tuyen/chung_thuc_ban_sao/gui", data={"csrf": csrf,
                                                                    "review": token})
    assert sent.status_code == 422, sent.text
    assert "Giay uy quyen cong chung" in sent.text and 'id="tep_giay_uy_quyen"' in sent.text
    assert _counts(api) == before
