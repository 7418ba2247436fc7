"""Names folded for searching, phone numbers and ID numbers as the desk writes them."""

from __future__ import annotations

import pytest

from engine.i18n import translate
from engine.people import (
    SearchQuery,
    applicant_problems,
    check_id_number,
    check_phone,
    cleaned_applicant,
    fold,
    parse_query,
    search_terms,
)
from engine.people.ids import birth_year, provinces


def test_folding_removes_marks_case_and_spaces() -> None:
    assert fold("  Nguyễn   Văn An ") == "nguyen van an"
    assert fold("ĐẶNG Thị Đào") == "dang thi dao"
    assert fold("Trần-Thị Hồng, Nhung") == "tran thi hong nhung"
    # Composed and decomposed forms of the same letter fold alike.
    assert fold("Nguye\u0302\u0303n") == fold("Nguyễn") == "nguyen"


@pytest.mark.parametrize(("typed", "number"), [
    ("0912345678", "0912345678"),
    ("091 234 5678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("84912345678", "0912345678"),
    ("0356-123-456", "0356123456"),
    ("(024) 3825 1234", "02438251234"),
    ("+84 24 3825 1234", "02438251234"),
])
def test_vietnamese_phone_numbers_are_normalised(typed: str, number: str) -> None:
    assert check_phone(typed) == (number, None)


@pytest.mark.parametrize("typed", ["abc", "12", "0112345678", "091234567", "09123456789",
                                   "+1 212 555 0100", "0212345678"])
def test_what_is_not_a_phone_number_is_refused_in_vietnamese(typed: str) -> None:
    number, why = check_phone(typed)
    assert number is None and why is not None
    said = translate("vi", why)
    assert typed.strip() in said
    assert ("chữ số" in said) if not typed.replace(" ", "").lstrip("+").isdigit() else \
        ("10 chữ số" in said)


def test_a_citizen_id_starts_with_a_province_code() -> None:
    assert check_id_number("001085012345") == ("001085012345", None)
    assert check_id_number("079 203 004 567") == ("079203004567", None)
    assert birth_year("001085012345") == 1985
    assert birth_year("079203004567") == 2003
    assert provinces()["001"] == "Hà Nội" and len(provinces()) == 63
    number, why = check_id_number("003085012345")  # 003 is no province
    assert number is None and why is not None
    assert "003" in translate("vi", why)


def test_an_old_nine_digit_id_passes_on_its_length() -> None:
    assert check_id_number("012345678") == ("012345678", None)


@pytest.mark.parametrize(("typed", "words"), [("12", "2 chữ số"), ("00108501234", "11 chữ số"),
                                              ("00108501234X", "chỉ được gồm chữ số")])
def test_ids_of_the_wrong_length_or_not_digits_are_refused(typed: str, words: str) -> None:
    number, why = check_id_number(typed)
    assert number is None and why is not None
    assert words in translate("vi", why)


def test_an_id_born_in_the_future_is_refused() -> None:
    assert check_id_number("001225012345", this_year=2026) == ("001225012345", None)
    number, why = check_id_number("001299012345", this_year=2026)
    assert number is None and why is not None and "2099" in translate("vi", why)


def test_applicant_problems_name_the_fields() -> None:
    problems = applicant_problems({"name": "A", "phone": "abc", "id_number": "12"})
    assert [field for field, _ in problems] == ["applicant.id_number", "applicant.phone"]
    assert applicant_problems({"name": "A", "phone": "0912345678",
                               "id_number": "001085012345"}) == []


def test_search_terms_of_an_applicant_and_the_names_in_the_form() -> None:
    terms = search_terms({"name": "Nguyễn Văn An", "phone": "+84 912 345 678",
                          "id_number": "001085012345"},
                         {"ho_ten_tre": "Nguyễn Minh Khôi", "ho_ten_me": "Trần Thị Bình",
                          "pages": 3})
    assert terms.names == "nguyen van an nguyen minh khoi tran thi binh"
    assert terms.id_number == "001085012345" and terms.phone == "0912345678"
    old = search_terms({"name": "Lê Văn Tám", "phone": "abc 12", "id_number": "12"})
    assert (old.id_number, old.phone) == ("12", "12")


def test_the_applicant_is_kept_with_the_numbers_normalised() -> None:
    kept = cleaned_applicant({"name": "An", "phone": "+84 912 345 678",
                              "id_number": "001 085 012 345", "address": "Hà Đông"})
    assert kept == {"name": "An", "phone": "0912345678", "id_number": "001085012345",
                    "address": "Hà Đông"}


def test_a_search_is_a_code_beginning_or_folded_words_or_one_number() -> None:
    assert parse_query("  ") is None
    assert parse_query("Nguyễn  Văn") == SearchQuery("", ("nguyen", "van"))
    assert parse_query("000.00.81.h26-2603") == SearchQuery(
        "000.00.81.H26-2603", ("000", "00", "81", "h26", "2603"))
    assert parse_query("+84 912 345 678") == SearchQuery("", (), "0912345678")
    assert parse_query("001 085 012 345") == SearchQuery("", (), "001085012345")
    assert parse_query("001085012345") == SearchQuery("001085012345", (), "001085012345")
    assert parse_query("0912") == SearchQuery("0912", ("0912",))  # a beginning: a word
    assert parse_query("!!!") == SearchQuery("", ())  # finds nothing, not everything
