"""Numbers as the office types them: the decimal comma, dots or spaces between thousands, and
what cannot be decided refused rather than stored wrong."""

from __future__ import annotations

import pytest

from engine.i18n import translate
from engine.i18n.numbers import NotANumber, parse, plain


@pytest.mark.parametrize(("text", "integer", "value"), [
    ("85,5", False, 85.5),
    ("85.5", False, 85.5),  # a lone dot before other than three digits: a decimal point
    ("3.14159", False, 3.14159),
    ("0.125", False, 0.125),  # a lone 0 is never grouped
    ("1.000.000", False, 1_000_000),
    ("1.000.000", True, 1_000_000),
    ("1 000 000", True, 1_000_000),
    ("1\u00a0000\u202f000", True, 1_000_000),  # the spaces a copy from a document brings
    ("1.000.000,5", False, 1_000_000.5),
    ("1 000,25", False, 1000.25),
    ("1,234", False, 1.234),  # the comma is always the decimal separator
    ("1.000", True, 1000),  # a whole number: the dot can only group thousands
    ("1,0", True, 1),
    ("-3,5", False, -3.5),
    ("\u22122", True, -2),
    ("  12  ", True, 12),
])
def test_what_is_read(text: str, integer: bool, value: float) -> None:
    got = parse(text, integer=integer)
    assert got == value and type(got) is (int if integer else float)


@pytest.mark.parametrize(("text", "integer", "why"), [
    ("1.000", False, "number_ambiguous"),  # one thousand, or one with three decimals?
    ("2.345", False, "number_ambiguous"),
    ("1,5", True, "number_whole"),
    ("1,234", True, "number_whole"),
    ("1,000,000", False, "number_invalid"),  # the English way: two decimal commas
    ("1,234.5", False, "number_invalid"),  # a dot after the decimal comma
    ("1.00.000", False, "number_invalid"),  # groups of two
    ("1.5", True, "number_whole"),
    ("0.500.000", False, "number_invalid"),
    ("12 5", True, "number_invalid"),
    ("1.", False, "number_invalid"),
    (",5", False, "number_invalid"),
    ("1e5", False, "number_invalid"),
    ("inf", False, "number_invalid"),
    ("mười", True, "number_invalid"),
    ("", True, "number_invalid"),
    ("9" * 41, True, "number_invalid"),
])
def test_what_is_refused(text: str, integer: bool, why: str) -> None:
    with pytest.raises(NotANumber) as refused:
        parse(text, integer=integer)
    assert refused.value.message.id == why


def test_the_refusal_says_in_vietnamese_what_to_write() -> None:
    with pytest.raises(NotANumber) as refused:
        parse("1.000")
    said = translate("vi", refused.value.message)
    assert "“1.000” có thể hiểu hai cách" in said and "1000" in said and "1,000" in said
    assert "can be read two ways" in translate("en", refused.value.message)


@pytest.mark.parametrize(("value", "shown"), [(85.5, "85,5"), (1_000_000, "1000000"),
                                              (1000.5, "1000,5"), (0.125, "0,125")])
def test_a_value_goes_back_into_an_input_so_it_reads_the_same(value: float, shown: str) -> None:
    assert plain(value) == shown
    assert parse(shown, integer=isinstance(value, int)) == value
