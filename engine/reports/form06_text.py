"""The printed elements of Biểu số 06/VPCP/KSTT, and where each comes from.

The form's code, title and columns are those of the statistics form on the handling of
administrative procedures (Circular 01/2020/TT-VPCP of the Government Office on periodic
reporting). ``BASIS_CONFIRMED`` is False: the circular's date and the wording of the legal
basis line are as commonly printed, not yet checked against the gazetted text.

The words are in the catalogs (``reports.po``, ids ``rep06_*``): the form as gazetted in
Vietnamese, and an English reading of it. The form's code is its name in either language.
"""

from __future__ import annotations

from datetime import date

from engine.i18n import DEFAULT, translate

FORM_CODE = "Biểu số 06/VPCP/KSTT"
BASIS_CONFIRMED = False
# docs/auditing.md, "Early or on time": the appointment receipt promises a day, so by
# default a result ready on a day before that day is early (the moment rule is a setting).
EARLY_RULE_NOTES = {"day": "rep06_early_day", "moment": "rep06_early_moment"}


def title(lang: str = DEFAULT) -> str:
    return translate(lang, "rep06_title")


def basis(lang: str = DEFAULT) -> str:
    return translate(lang, "rep06_basis")


def unit_of_measure(lang: str = DEFAULT) -> str:
    return translate(lang, "rep06_unit_of_measure")


def first_column(lang: str = DEFAULT) -> str:
    return translate(lang, "rep06_first_column")


def signers(lang: str = DEFAULT) -> tuple[tuple[str, str], ...]:
    return ((translate(lang, "rep06_signer_maker"), translate(lang, "rep06_signer_maker_note")),
            (translate(lang, "rep06_signer_head"), translate(lang, "rep06_signer_head_note")))


def scope_note(lang: str = DEFAULT) -> str:
    return translate(lang, "rep06_scope_note")


def early_rule_note(rule: str, lang: str = DEFAULT) -> str:
    return translate(lang, EARLY_RULE_NOTES[rule])


def period_line(date_from: date, date_to: date, lang: str = DEFAULT) -> str:
    return translate(lang, "rep06_period_line", start=f"{date_from:%d/%m/%Y}",
                     end=f"{date_to:%d/%m/%Y}")


def place_and_date(place: str, day: date, lang: str = DEFAULT) -> str:
    """The line above the signatures: "Hà Nội, ngày 02 tháng 12 năm 2026"."""
    parts = {"day": f"{day:%d}", "month": f"{day:%m}", "year": f"{day:%Y}"}
    if place:
        return translate(lang, "rep06_place_date", place=place, **parts)
    return translate(lang, "rep06_date", **parts)
