"""The desk writes down how the applicant wants to be told: an e-mail address next to the
phone, and the channels ticked; a bad address or a channel without its contact is said next
to its field, and the dossier keeps the choice the outbox follows."""

from __future__ import annotations

import httpx

from engine.notify import NotifyConfig, SmsConfig, SmtpConfig
from engine.service import desk
from engine.service.sending import send_due
from tests.features.api_steps import ApiOffice, csrf_of, web_session
from tests.notify_servers import Gateway, Mailbox, sms_gateway, smtp_server

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
                                     "applicant_notify": ["sms"]})
    assert no_phone.status_code == 422 and 'id="applicant_notify-error"' in no_phone.text
    assert "cần ghi số điện thoại" in no_phone.text
    # The boxes as the form comes (all ticked): every channel with a contact, no error.
    as_it_comes = desk.post(FORM, data={**FILLED, "csrf": csrf, "applicant_phone": "0912345678",
                                        "applicant_notify": ["email", "sms"]})
    assert as_it_comes.status_code == 303, as_it_comes.text
    with api.office.db.unit_of_work(readonly=True) as uow:
        kept = uow.dossiers.by_code(as_it_comes.headers["location"].split("/")[2])
    assert kept is not None and "notify" not in kept.applicant
    done = desk.post(FORM, data={**FILLED, "csrf": csrf, "applicant_email": "Hoa@Example.com",
                                 "applicant_phone": "0912 345 678",
                                 "applicant_notify": ["sms"]})
    assert done.status_code == 303, done.text
    code = done.headers["location"].split("/")[2]
    with api.office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.by_code(code)
    assert found is not None
    assert (found.applicant["email"], found.applicant["notify"]) == ("Hoa@example.com", ["sms"])


def test_staff_see_each_message_s_delivery_and_the_public_page_only_that_it_was_sent(
        api: ApiOffice) -> None:
    receipt = api.submit(applicant={"name": "Lê Thị Hoa", "phone": "0912345678",
                                    "email": "hoa@example.com"})
    code = receipt["code"]
    with api.office.db.unit_of_work(readonly=True) as uow:
        reception = uow.org.user("reception")
    assert reception is not None
    desk.check(api.office, reception, code, [{"code": "ban_chinh", "form": "original"}],
               "accept")
    mailbox, gateway = Mailbox(refuse=1), Gateway()
    with smtp_server(mailbox) as port, sms_gateway(gateway) as url:
        api.office.notify = NotifyConfig(
            smtp=SmtpConfig("127.0.0.1", port, starttls=False, timeout_s=5),
            sms=SmsConfig(url, token=gateway.token, timeout_s=5), max_attempts=1)
        done = send_due(api.office)
    assert done.sent == 1 and len(done.failed) == 1
    staff = web_session(api, "reception").get(f"/ho-so/{code}").text
    assert "Thông báo cho người nộp hồ sơ" in staff and "Đã tiếp nhận hồ sơ" in staff
    assert "hoa@example.com" in staff and "Không gửi được" in staff and "451" in staff
    assert "Đã gửi" in staff
    public = httpx_get(api, f"/tra-cuu/{code}")
    today = api.clock.now().astimezone(api.office.calendar.tz).strftime("%d/%m/%Y")
    assert f"đã gửi tin nhắn ngày {today}" in public
    assert "thư điện tử ngày" not in public  # the e-mail failed: not said to be sent
    for private in ("0912345678", "hoa@example.com", "Lê Thị Hoa"):
        assert private not in public


def httpx_get(api: ApiOffice, path: str) -> str:
    answer = httpx.get(api.url + path)
    assert answer.status_code == 200, answer.text
    return answer.text
