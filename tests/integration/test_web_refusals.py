"""A refused form is answered by a redirect to the refusal page, so reloading it sends
nothing again; an unknown address is a page in the reader's language, while the API's
addresses keep answering problem+json."""

from __future__ import annotations

import re

import httpx

from tests.features.api_steps import ApiOffice, csrf_of, web_session

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_an_unknown_address_is_a_page_and_an_unknown_api_path_is_problem_json(
        api: ApiOffice) -> None:
    visitor = httpx.Client(base_url=api.url)
    page = visitor.get("/khong-co-trang-nay", headers=BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy trang" in page.text and "<html" in page.text
    english = httpx.Client(base_url=api.url, cookies={"motcua_lang": "en"}).get(
        "/khong-co-trang-nay")
    assert english.status_code == 404 and "Page not found" in english.text
    clerk = web_session(api, "reception")
    signed = clerk.get("/ho-so/mot/hai/ba")
    assert signed.status_code == 404 and 'href="/tiep-nhan"' in signed.text  # with the menu
    clerk.close()
    for path in ("/api/v1/khong-co", "/static/khong-co.js"):
        answer = visitor.get(path, headers=BROWSER)
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("application/problem+json"), path


def test_a_refused_form_redirects_and_the_refusal_page_can_be_reloaded(
        api: ApiOffice) -> None:
    code = api.submit()["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    item = api.current(code)["id"]  # a step of the justice office
    desk = web_session(api, "reception")
    csrf = csrf_of(desk.get("/tiep-nhan").text)
    sent = desk.post(f"/buoc/{item}/nhan", data={"csrf": csrf},
                     headers={**BROWSER, "Referer": f"{api.url}/ho-so-phong?x=1"})
    assert sent.status_code == 303 and sent.headers["location"] == "/tu-choi"
    for _reload in range(2):
        shown = desk.get("/tu-choi", headers=BROWSER)
        assert shown.status_code == 403
        assert "Bạn không có quyền thực hiện việc này" in shown.text
        assert 'href="/ho-so-phong?x=1"' in shown.text  # back to the page of the form
    assert api.current(code)["claimed_by"] is None  # nothing was done, once or twice
    elsewhere = desk.post(f"/buoc/{item}/nhan", data={"csrf": csrf},
                          headers={**BROWSER, "Referer": "https://example.org/ho-so-phong"})
    assert 'href="/" data-back' in desk.get(elsewhere.headers["location"]).text
    # A script (htmx, fetch) still gets the status itself.
    scripted = desk.post(f"/buoc/{item}/nhan", data={"csrf": csrf},
                         headers={"HX-Request": "true", **BROWSER})
    assert scripted.status_code == 403
    desk.close()


def test_the_refusal_page_without_a_refusal_leads_home(api: ApiOffice) -> None:
    visitor = httpx.Client(base_url=api.url)
    assert visitor.get("/tu-choi").status_code == 303
    forged = httpx.Client(base_url=api.url, cookies={"motcua_refusal": "e30.e30.x"}).get(
        "/tu-choi")
    assert forged.status_code == 303


def test_the_staff_list_and_the_public_lookup_have_their_own_names_and_the_desk_stays_lit(
        api: ApiOffice) -> None:
    desk = web_session(api, "reception")
    listed = desk.get("/ho-so")
    assert "<title>Danh sách hồ sơ" in listed.text
    public = httpx.Client(base_url=api.url).get("/tra-cuu")
    assert "<title>Tra cứu hồ sơ" in public.text
    form = desk.get("/tiep-nhan/chung_thuc_ban_sao")
    sent = desk.post("/tiep-nhan/chung_thuc_ban_sao", data={
        "csrf": csrf_of(form.text), "applicant_name": "Nguyễn Văn An", "channel": "direct",
        "f_pages": "5", "f_copies": "1", "f_ten_giay_to": "Bằng tốt nghiệp THPT"})
    assert sent.status_code == 303, sent.text
    received = desk.get(sent.headers["location"])
    assert received.status_code == 200
    assert re.search(r'<a href="/tiep-nhan" aria-current="page">', received.text)
    assert not re.search(r'<a href="/ho-so" aria-current="page">', received.text)
    desk.close()
