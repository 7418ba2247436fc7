"""The desk's check in the web pages: the checklist with a scan slot per document, the
decision's errors on the page, the step page's way to the check, the forms each leads to."""

from __future__ import annotations

from lxml import html as lxml_html

from tests.features.api_steps import ApiOffice, csrf_of, local, web_session


def test_the_checklist_leads_to_the_printed_forms(api: ApiOffice) -> None:
    api.at(local(2026, 3, 24, 9, 0))
    code = api.submit()["code"]
    web = web_session(api, "reception")
    step = api.current(code)
    assert f'href="/ho-so/{code}/kiem-tra"' in web.get(f"/buoc/{step['id']}").text
    page = web.get(f"/ho-so/{code}/kiem-tra")
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.text)
    rows = tree.xpath("//tr[@data-document]")
    assert [r.get("data-document") for r in rows] == ["ban_chinh", "ban_sao"]
    assert [s.get("data-scan-slot") for s in tree.xpath("//div[@class='scan-slot']")] == [
        "ban_chinh", "ban_sao"]
    assert "không bắt buộc" in rows[1].text_content()
    csrf = csrf_of(page.text)
    # No decision: the page says so, in Vietnamese, and keeps what was ticked.
    again = web.post(f"/ho-so/{code}/kiem-tra", data={"csrf": csrf, "doc_ban_chinh": "1",
                                                       "count_ban_chinh": "1"})
    assert again.status_code == 422 and "chọn kết quả kiểm tra" in again.text
    assert lxml_html.fromstring(again.text).xpath("//input[@id='doc-ban_chinh']/@checked")
    dossier_page = web.get(f"/ho-so/{code}").text
    assert 'id="go-check"' in dossier_page and f"/ho-so/{code}/giay-hen" not in dossier_page
    asked = web.post(f"/ho-so/{code}/kiem-tra", data={"csrf": csrf, "decision": "supplement"})
    assert f"/ho-so/{code}/phieu-bo-sung" in web.get(f"/ho-so/{code}").text
    assert asked.status_code == 303
    assert asked.headers["location"] == f"/ho-so/{code}/phieu-bo-sung"
    assert "Phiếu yêu cầu bổ sung" in web.get(asked.headers["location"]).text
    accepted = web.post(f"/ho-so/{code}/kiem-tra", data={
        "csrf": csrf, "decision": "accept", "doc_ban_chinh": "1", "form_ban_chinh": "original",
        "count_ban_chinh": "1"})
    assert accepted.headers["location"] == f"/ho-so/{code}/da-tiep-nhan"
    received = web.get(accepted.headers["location"]).text
    assert 'id="receipt-frame"' in received and "Bản chính giấy tờ" in received
    # Checked: the checklist shows the decision, and offers no second one.
    done = web.get(f"/ho-so/{code}/kiem-tra").text
    assert 'id="last-check"' in done and 'name="decision"' not in done
    after = web.get(f"/ho-so/{code}").text
    assert 'id="go-check"' not in after and f"/ho-so/{code}/giay-hen" in after
    assert web.get(f"/ho-so/{code}/khong-tiep-nhan").status_code == 404


def test_a_filing_waits_for_the_check_before_its_receipt(api: ApiOffice) -> None:
    api.at(local(2026, 3, 24, 10, 0))
    code = api.submit()["code"]
    web = web_session(api, "reception")
    page = web.get(f"/ho-so/{code}/da-tiep-nhan").text
    assert 'id="being-checked"' in page and 'id="receipt-frame"' not in page
    refused = web.post(f"/ho-so/{code}/kiem-tra", data={
        "csrf": csrf_of(page), "decision": "refuse", "reasons": "Không thuộc thẩm quyền"})
    assert refused.headers["location"] == f"/ho-so/{code}/khong-tiep-nhan"
    slip = web.get(refused.headers["location"])
    assert slip.status_code == 200 and "Không thuộc thẩm quyền" in slip.text
    assert f"/ho-so/{code}/khong-tiep-nhan" in web.get(f"/ho-so/{code}").text
