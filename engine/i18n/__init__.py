"""One language system for every door: message ids with parameters, gettext catalogs.

The engine never builds a sentence for a person in one language: it carries a
:class:`Message` (a stable id and its parameters), and each door translates it into the
reader's language at the last moment (a page, a problem+json ``detail``, a CLI line).
The catalogs are gettext ``.po`` files under ``engine/locale/<lang>/LC_MESSAGES/``, one per
area (``web.po``, ``engine.po``, …), read with Babel; an id is looked up in the reader's
language, then in Vietnamese, and shows as itself when no catalog has it.
"""

from engine.i18n.catalogs import (
    DEFAULT,
    LANGUAGES,
    Message,
    Number,
    has,
    msg,
    negotiate,
    number,
    translate,
)

__all__ = ["DEFAULT", "LANGUAGES", "Message", "Number", "has", "msg", "negotiate", "number",
           "translate"]
