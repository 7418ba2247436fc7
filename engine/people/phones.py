"""Vietnamese phone numbers, as written on a form, checked and normalised to 0xxxxxxxxx.

- Mobile: 10 digits, 03/05/07/08/09 then 8 digits (the 11-digit mobile numbers were moved
  to these prefixes in 2018), also written +84… or 84… without the leading 0.
- Landline: 11 digits, 02 then the province's area code and the subscriber (the area codes
  all start with 2 since 2017, e.g. 024 Hà Nội, 028 Hồ Chí Minh City), also +84 2….
Spaces, dots, dashes and brackets people put between groups are ignored.
"""

from __future__ import annotations

import re

from engine.i18n import Message, msg

_SEPARATORS = re.compile(r"[\s.\-()]+")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")


def normalise_phone(text: str) -> str | None:
    """The number as 0xxxxxxxxx (mobile) or 02xxxxxxxxx (landline), or None if it is not one."""
    raw = _SEPARATORS.sub("", text.strip())
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) in (11, 12):
        raw = "0" + raw[2:]
    if _MOBILE.fullmatch(raw) or _LANDLINE.fullmatch(raw):
        return raw
    return None


def check_phone(text: str) -> tuple[str | None, Message | None]:
    """(the normalised number, None) or (None, why it is not a phone number)."""
    number = normalise_phone(text)
    if number is not None:
        return number, None
    digits = _SEPARATORS.sub("", text.strip()).removeprefix("+")
    if not digits.isdigit():
        return None, msg("people_phone_not_digits", value=text.strip())
    return None, msg("people_phone_invalid", value=text.strip())
