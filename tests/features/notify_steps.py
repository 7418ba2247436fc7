"""Steps of notify_applicant.feature: the applicant's messages, in the office's words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytest_bdd import given, parsers, then, when

from engine.model import User
from engine.notify import NotifyConfig, SmsConfig, SmtpConfig
from engine.service import desk, dossiers
from engine.service.office import Office
from engine.service.sending import send_due
from tests.helpers import do_step
from tests.notify_servers import Gateway, Mailbox, sms_gateway, smtp_server

COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
ORIGINAL = [{"code": "ban_chinh", "form": "original", "count": 1}]


@dataclass
class Post:
    mailbox: Mailbox
    gateway: Gateway
    code: str = ""
    dossier_id: int = 0
    name: str = ""
    phone: str = ""


@pytest.fixture
def post(office: Office) -> Iterator[Post]:
    found = Post(Mailbox(), Gateway())
    with smtp_server(found.mailbox) as port, sms_gateway(found.gateway) as url:
        office.notify = NotifyConfig(
            smtp=SmtpConfig("127.0.0.1", port, starttls=False, timeout_s=5),
            sms=SmsConfig(url, token=found.gateway.token, timeout_s=5))
        yield found


@given(parsers.parse("công dân {name} nộp hồ sơ chứng thực bản sao, cho số {phone} và thư "
                     "{email}, chỉ chọn nhận tin nhắn"))
def files_with_sms_only(office: Office, users: dict[str, User], post: Post, name: str,
                        phone: str, email: str) -> None:
    receipt = dossiers.submit(office, "chung_thuc_ban_sao",
                              {"name": name, "phone": phone, "email": email, "notify": ["sms"]},
                              "direct", COPY, users["reception"])
    post.code, post.dossier_id, post.name = receipt.code, receipt.dossier_id, name
    post.phone = phone.replace(" ", "")


@when("cán bộ một cửa tiếp nhận hồ sơ")
def desk_accepts(office: Office, users: dict[str, User], post: Post) -> None:
    desk.check(office, users["reception"], post.code, ORIGINAL, desk.ACCEPT)


@when("máy gửi thông báo chạy")
def sender_runs(office: Office) -> None:
    send_due(office)


@then(parsers.parse('công dân nhận đúng một tin nhắn ghi mã hồ sơ và "{unit}"'))
def one_sms(post: Post, unit: str) -> None:
    [text] = post.gateway.texts.values()
    assert text["to"] == post.phone and post.code in text["text"] and unit in text["text"]


@then("không có thư điện tử nào được gửi")
def no_email(post: Post) -> None:
    assert post.mailbox.received == []


@then("không tin nào ghi họ tên hay số điện thoại của công dân")
def nothing_personal(post: Post) -> None:
    for text in post.gateway.texts.values():
        assert post.phone not in text["text"]
        assert all(word not in text["text"] for word in post.name.split())


@when("công chức tư pháp chứng thực và lãnh đạo ký")
def justice_and_leader(office: Office, users: dict[str, User], post: Post) -> None:
    do_step(office, post.dossier_id, users["justice"],
            {"ket_qua_xu_ly": "dat", "so_chung_thuc": "123/2026"})
    do_step(office, post.dossier_id, users["leader"], {"y_kien_lanh_dao": "dong_y"})


@then("công dân nhận thêm một tin nhắn báo hồ sơ đã có kết quả")
def result_sms(post: Post) -> None:
    texts = list(post.gateway.texts.values())
    assert len(texts) == 2 and "da co ket qua" in texts[1]["text"]
