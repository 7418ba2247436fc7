"""The applicant's e-mail address and choice of channels, as the desk or the applicant types
them: checked with a reason in Vietnamese, cleaned for the outbox."""

from __future__ import annotations

import pytest

from engine.i18n import translate
from engine.people import applicant_problems, cleaned_applicant
from engine.people.contacts import normalise_email, notify_choice


@pytest.mark.parametrize(("typed", "address"), [
    ("an.nguyen@example.com", "an.nguyen@example.com"),
    ("  An.Nguyen+hoso@Example.COM.VN ", "An.Nguyen+hoso@example.com.vn"),
    ("hoa@bưuđiện.vn", "hoa@xn--buin-1ua66gr30m.vn"),
])
def test_an_email_address_is_kept_with_its_domain_in_lower_case(typed: str, address: str) -> None:
    assert normalise_email(typed) == address


@pytest.mark.parametrize("typed", [
    "an.nguyen", "@example.com", "an@", "an@localhost", "an..b@example.com", ".an@example.com",
    "an@example..com", "an@-example.com", "an@example.123", "an nguyen@example.com",
    "an@exa_mple.com", "a" * 65 + "@example.com", "an@" + "a" * 250 + ".vn",
    "an@example.com>x", "an@exa mple.com",
])
def test_what_is_not_an_email_address_is_refused(typed: str) -> None:
    assert normalise_email(typed) is None
    problems = applicant_problems({"name": "An", "email": typed})
    if typed.strip():
        assert [f for f, _ in problems] == ["applicant.email"]
        assert "không phải là địa chỉ thư điện tử" in translate("vi", problems[0][1])


def test_the_channels_chosen_must_exist_and_have_a_contact() -> None:
    assert notify_choice(None) == (None, None)
    assert notify_choice(["sms", "email", "sms"]) == (["email", "sms"], None)
    assert notify_choice("sms") == (["sms"], None)
    assert notify_choice([]) == ([], None)
    assert notify_choice(["fax"])[1] is not None and notify_choice(3)[1] is not None
    assert [f for f, _ in applicant_problems({"notify": ["email"], "phone": "0912345678"})] == [
        "applicant.notify"]
    needs_phone = applicant_problems({"notify": ["sms"], "email": "a@example.com"})
    assert translate("vi", needs_phone[0][1]) == "Muốn nhận tin nhắn SMS thì cần ghi số điện thoại."
    assert applicant_problems({"notify": [], "email": "a@example.com"}) == []


def test_the_cleaned_applicant_keeps_a_clean_address_and_choice() -> None:
    cleaned = cleaned_applicant({"name": "An", "email": " An@Example.com ",
                                 "phone": "+84 912 345 678", "notify": ["sms", "email"]})
    assert (cleaned["email"], cleaned["phone"], cleaned["notify"]) == (
        "An@example.com", "0912345678", ["email", "sms"])
