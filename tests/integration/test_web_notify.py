"""The desk writes down how the applicant wants to be told: an e-mail address next to the
phone, and the channels ticked; a bad address or a channel without its contact is said next
to its field, and the dossier keeps the choice the outbox follows."""

from __future__ import annotations

from tests.features.api_steps import ApiOffice, csrf_of, web_session

FORM = "/tiep-nhan/chung_thuc_ban_sao"
FILLED = {"applicant_name": "Lê Thị Hoa", "channel": "direct", "f_pages": "1",
          "f_copies": "1", "f_ten_giay_to": "Học bạ", "notify_offered": "1"}


def test_the_desk_form_takes_an_email_address_and_the_channels_chosen(api: ApiOffice) -> None:
    desk = web_session(api, "reception")
    page = desk.get(FORM).text
    assert 'name="applicant_email"' in page and 'type="email"' in page
    assert "Nhận thông báo về hồ sơ qua" in page
    csrf = csrf_of(page)
    bad = desk.post(FORM, data={**FILLED, "csrf": csrf, "applicant_email": "hoa@@example",
                                "applicant_notify": ["email"]})
    assert bad.status_code == 422 and 'id="applicant_email-error"' in bad.text
    assert "không phải là địa chỉ thư điện tử" in bad.text
    no_phone = desk.post(FORM, data={**FILLED, "csrf": csrf, "applicant_email": "hoa@example.com",
                                     "applicant_notify": ["email", "sms"]})
    assert no_phone.status_code == 422 and 'id="applicant_notify-error"' in no_phone.text
    assert "cần ghi số điện thoại" in no_phone.text
    done = desk.post(FORM, data={**FILLED, "csrf": csrf, "applicant_email": "Hoa@Example.com",
                                 "applicant_phone": "0912 345 678",
                                 "applicant_notify": ["sms"]})
    assert done.status_code == 303, done.text
    code = done.headers["location"].split("/")[2]
    with api.office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.by_code(code)
    assert found is not None
    assert (found.applicant["email"], found.applicant["notify"]) == ("Hoa@example.com", ["sms"])
