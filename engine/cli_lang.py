"""The terminal's language: ``motcua --lang en|vi …``, else ``MOTCUA_LANG``, else Vietnamese.

Every CLI line a person reads goes through :func:`say` (catalog ids in ``cli.po``) or
:func:`error_text` (an engine error in the same language)."""

from __future__ import annotations

import os
from typing import Any

from engine.errors import MotcuaError
from engine.i18n import DEFAULT, LANGUAGES, Message, translate

_chosen: str | None = None


def _known(asked: str | None) -> str | None:
    code = (asked or "").strip().lower()[:2]
    return code if code in LANGUAGES else None


def choose(asked: str | None) -> None:
    """The ``--lang`` option, given before the command (None: leave it to MOTCUA_LANG)."""
    global _chosen
    _chosen = _known(asked)


def language() -> str:
    return _chosen or _known(os.environ.get("MOTCUA_LANG")) or DEFAULT


def say(message: Message | str, **params: Any) -> str:
    return translate(language(), message, **params)


def error_text(exc: MotcuaError) -> str:
    return exc.text(language())
