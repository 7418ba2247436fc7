"""The texts of the messages, from the ``notify_*`` catalog entries: a subject and a body for
an e-mail, one short text for an SMS. Only the dossier code, the unit's name, a date, the
lookup address (and for ``secret`` the secret asked for) ever go in."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from engine.i18n import msg, translate

KINDS = ("received", "supplement", "apology", "result_ready", "refused", "returned", "secret")
# The parameters each kind's text takes besides the code and the unit.
PARAMS = {"apology": ("date",), "secret": ("secret",)}
SMS_MAX = 306  # two concatenated GSM-7 segments (153 characters each)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render(kind: str, channel: str, lang: str, code: str, unit: str, url: str | None,
           params: Mapping[str, str] | None = None, *, sms_ascii: bool = True) -> Rendered:
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    values = {name: str((params or {}).get(name, "")) for name in PARAMS.get(kind, ())}
    values.update(code=code, unit=unit)
    if channel == "sms":
        text = translate(lang, msg(f"notify_{kind}_sms", **values))
        if url and kind != "secret":
            text += " " + translate(lang, msg("notify_sms_lookup", url=url))
        if sms_ascii:
            text = plain(text)
        return Rendered("", text[:SMS_MAX])
    lookup = (msg("notify_line_lookup", url=url) if url
              else msg("notify_line_lookup_no_url"))
    parts = [translate(lang, "notify_greeting"),
             translate(lang, msg(f"notify_{kind}_body", **values)),
             translate(lang, lookup),
             translate(lang, msg("notify_footer", unit=unit))]
    return Rendered(translate(lang, msg(f"notify_{kind}_subject", **values)),
                    "\n\n".join(parts) + "\n")


def plain(text: str) -> str:
    """Vietnamese without its diacritics (đ as d), as GSM-7 can carry it."""
    text = text.replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFD", text)
    return "".join(c for c in folded if not unicodedata.combining(c))
