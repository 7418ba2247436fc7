"""What a dossier is found by: its applicant's folded name, ID number and phone, and what
is wrong with the ID number or phone the desk or the applicant typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.i18n import Message
from engine.people.contacts import contact_problems, normalise_email, notify_choice
from engine.people.ids import check_id_number
from engine.people.names import fold, words
from engine.people.phones import check_phone, normalise_phone

MAX_QUERY = 100  # characters of a search; a name, an ID number or a code is far shorter

# The start forms' fields that name a person (processes/forms/*.nop_ho_so.json): the person
# who asks, the child and parents of a birth, the owner of a business or a building.
NAME_FIELDS = ("ho_ten_nguoi_yeu_cau", "ho_ten_chu_ho", "chu_dau_tu", "ho_ten_tre",
               "ho_ten_me", "ho_ten_cha")


@dataclass(frozen=True)
class SearchTerms:
    names: str  # folded words of every name, the applicant's first
    id_number: str | None
    phone: str | None


def applicant_problems(applicant: Mapping[str, Any], this_year: int | None = None
                       ) -> list[tuple[str, Message]]:
    """(field, why) for an ID number, phone or e-mail address that is not one, or a choice of
    how to be told that cannot be served; the fields as the applicant data names them
    (``applicant.id_number``, ``applicant.phone``, ``applicant.email``, ``applicant.notify``)."""
    found: list[tuple[str, Message]] = []
    id_number = str(applicant.get("id_number") or "").strip()
    if id_number:
        _, why = check_id_number(id_number, this_year)
        if why is not None:
            found.append(("applicant.id_number", why))
    phone = str(applicant.get("phone") or "").strip()
    if phone:
        _, why = check_phone(phone)
        if why is not None:
            found.append(("applicant.phone", why))
    found.extend(contact_problems(applicant))
    return found


def cleaned_applicant(applicant: Mapping[str, Any]) -> dict[str, Any]:
    """The applicant data with a valid phone as 0xxxxxxxxx and an ID number as its digits,
    as the receipt prints them and the search compares them; an e-mail address with its
    domain in lower case, the channels chosen as a list in a fixed order."""
    cleaned = dict(applicant)
    phone = normalise_phone(str(applicant.get("phone") or ""))
    if phone is not None:
        cleaned["phone"] = phone
    id_number = check_id_number(str(applicant.get("id_number") or ""))[0]
    if id_number is not None:
        cleaned["id_number"] = id_number
    email = normalise_email(str(applicant.get("email") or ""))
    if email is not None:
        cleaned["email"] = email
    chosen, why = notify_choice(applicant.get("notify"))
    if chosen is not None and why is None:
        cleaned["notify"] = chosen
    return cleaned


def search_terms(applicant: Mapping[str, Any], data: Mapping[str, Any] | None = None
                 ) -> SearchTerms:
    """The terms of a dossier. Values that do not pass the checks (dossiers received before
    them) are kept as their digits, so they are still found by what was typed."""
    names = [fold(str(applicant.get("name") or ""))]
    for field in NAME_FIELDS:
        value = (data or {}).get(field)
        if isinstance(value, str) and value.strip():
            names.append(fold(value))
    unique = list(dict.fromkeys(n for n in names if n))
    id_text = str(applicant.get("id_number") or "").strip()
    id_number = check_id_number(id_text)[0] or _digits(id_text)
    phone_text = str(applicant.get("phone") or "").strip()
    phone = normalise_phone(phone_text) or _digits(phone_text)
    return SearchTerms(" ".join(unique), id_number, phone)


def _digits(text: str) -> str | None:
    digits = "".join(c for c in text if c.isdigit())
    return digits[:20] or None


@dataclass(frozen=True)
class SearchQuery:
    """What a search box's text asks for: dossier codes that begin with ``code`` (upper
    case), or dossiers with words beginning with each of ``words`` (folded), or whose ID
    number or phone is ``number`` (a whole one, normalised)."""

    code: str
    words: tuple[str, ...]
    number: str | None = None


_CODE_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-")


def parse_query(text: str) -> SearchQuery | None:
    """The search a person typed (a code or its beginning, a name with or without accents,
    an ID number or a phone number however grouped); None when nothing was typed (no
    search), an empty query (that finds nothing) when nothing typed can be searched for."""
    typed = text.strip()[:MAX_QUERY]
    if not typed:
        return None
    code = typed.upper() if set(typed.upper()) <= _CODE_CHARS else ""
    number = normalise_phone(typed) or check_id_number(typed)[0]
    if number is not None:
        return SearchQuery(code, (), number)
    return SearchQuery(code, tuple(dict.fromkeys(words(typed)))[:8])
