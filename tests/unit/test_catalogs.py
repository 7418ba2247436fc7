"""The gettext catalogs: every file parses, each language has the same ids, each id the
same placeholders in every language, and the reader's language is negotiated."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from engine import i18n
from engine.i18n.catalogs import LOCALE_DIR

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _entries(lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for entry in read_po(handle, locale=lang):
                if entry.id:
                    assert entry.id not in found, f"{path.name}: {entry.id} twice"
                    assert isinstance(entry.string, str) and entry.string.strip(), entry.id
                    assert not entry.fuzzy, entry.id
                    found[str(entry.id)] = entry.string
    return found


def test_both_languages_have_the_same_ids_and_placeholders() -> None:
    vi, en = _entries("vi"), _entries("en")
    assert sorted(set(vi) ^ set(en)) == []
    for key, text in vi.items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(en[key])), key
        if PLACEHOLDER.search(text):  # python-format: a lone % would break the formatting
            assert "%" not in PLACEHOLDER.sub("", text).replace("%%", ""), key


def test_a_message_is_translated_with_its_parameters_at_the_door() -> None:
    message = i18n.msg("queue_count", total=12)
    assert i18n.translate("vi", message) == "12 bước đang chờ"
    assert i18n.translate("en", message) == "12 steps pending"
    assert str(message) == "12 steps pending"


@pytest.mark.parametrize(("header", "lang"), [
    (None, "vi"), ("", "vi"), ("en-US,en;q=0.9", "en"), ("fr, en;q=0.5", "en"),
    ("vi-VN,vi;q=0.9,en;q=0.8", "vi"), ("en;q=0.4, vi;q=0.6", "vi"), ("de", "vi"),
    ("en;q=0", "vi"),
])
def test_the_language_follows_accept_language(header: str | None, lang: str) -> None:
    assert i18n.negotiate(header) == lang
