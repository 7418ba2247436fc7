"""Every message kind reads whole in both languages: the code and the unit in it, no
placeholder left, an SMS within two GSM-7 segments and, by default, without diacritics."""

from __future__ import annotations

import pytest

from engine.notify import KINDS, render
from engine.notify.templates import SMS_MAX, plain

CODE = "000.00.81.H26-261203-0001"
UNIT = "UBND phường Đại Mỗ, thành phố Hà Nội"
URL = "https://dichvucong.hanoi.gov.vn/tra-cuu/" + CODE
PARAMS = {"date": "10/12/2026", "secret": "K2C69FSY"}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_reads_whole(kind: str, lang: str) -> None:
    mail = render(kind, "email", lang, CODE, UNIT, URL, PARAMS)
    assert CODE in mail.subject and CODE in mail.body and UNIT in mail.body
    assert URL in mail.body
    sms = render(kind, "sms", lang, CODE, UNIT, URL, PARAMS)
    assert CODE in sms.body and sms.subject == ""
    assert len(sms.body) <= SMS_MAX and sms.body.isascii()
    for text in (mail.subject, mail.body, sms.body):
        assert "%(" not in text and "notify_" not in text
    if kind == "apology":
        assert "10/12/2026" in mail.body and "10/12/2026" in sms.body
    if kind == "secret":
        assert "K2C69FSY" in sms.body


def test_an_sms_keeps_its_marks_when_the_office_says_so() -> None:
    sms = render("received", "sms", "vi", CODE, UNIT, None, sms_ascii=False)
    assert "đã tiếp nhận hồ sơ" in sms.body
    assert plain("Đại Mỗ, hồ sơ") == "Dai Mo, ho so"


def test_without_a_public_address_the_email_says_where_to_look() -> None:
    mail = render("supplement", "email", "vi", CODE, UNIT, None)
    assert "trang tra cứu của cơ quan" in mail.body and "http" not in mail.body


def test_an_sms_too_long_for_its_link_leaves_the_link_out_whole() -> None:
    sms = render("received", "sms", "vi", CODE, "UBND " + "x" * 250, URL)
    assert len(sms.body) <= SMS_MAX and "http" not in sms.body
    assert URL in render("received", "sms", "vi", CODE, UNIT, URL).body
