"""ID numbers of Vietnamese citizens: the 12-digit personal ID (số định danh cá nhân,
printed on the citizen ID card, căn cước) and the 9-digit ID of the old cards (CMND).

The 12 digits (Circular 07/2016/TT-BCA art. 7; Law on Identification 2023 art. 12): the
code of the province where the birth was registered (3 digits, ``id_provinces.toml``), a
digit for sex and century of birth (0/1 the 1900s, 2/3 the 2000s, 4/5 the 2100s …, even
for men), the last two digits of the year of birth, then 6 random digits. The old 9-digit
numbers carry no rule we could confirm: only their length is checked.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from engine.i18n import Message, msg

PROVINCES_FILE = Path(__file__).with_name("id_provinces.toml")
_SEPARATORS = re.compile(r"[\s.\-]+")


@cache
def provinces() -> dict[str, str]:
    """Province code → name, from the data file."""
    data = tomllib.loads(PROVINCES_FILE.read_text(encoding="utf-8"))
    return {str(code): str(name) for code, name in data["provinces"].items()}


def birth_year(number: str) -> int:
    """The year of birth a 12-digit number gives."""
    return 1900 + 100 * (int(number[3]) // 2) + int(number[4:6])


def check_id_number(text: str, this_year: int | None = None
                    ) -> tuple[str | None, Message | None]:
    """(the number's digits, None) or (None, why it is not an ID number). With
    ``this_year``, a 12-digit number must not give a year of birth after it."""
    number = _SEPARATORS.sub("", text.strip())
    if not number.isdigit():
        return None, msg("people_id_not_digits", value=text.strip())
    if len(number) == 9:
        return number, None
    if len(number) != 12:
        return None, msg("people_id_length", value=text.strip(), count=len(number))
    if number[:3] not in provinces():
        return None, msg("people_id_province", value=number, code=number[:3])
    if this_year is not None and birth_year(number) > this_year:
        return None, msg("people_id_year", value=number, year=birth_year(number))
    return number, None
