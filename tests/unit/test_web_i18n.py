"""Every word the pages use is in both languages' catalogs."""

from __future__ import annotations

import re
from pathlib import Path

from api.web.routes.design import MODELER_TEXT
from engine import i18n

WEB = Path(__file__).resolve().parents[2] / "api" / "web"
# Keys built from a prefix and a value the engine or the schema gives.
PREFIXED = {
    "deadline_": ("within", "due_today", "due_tomorrow", "overdue", "early", "on_time", "late"),
    "status_": ("processing", "awaiting_supplement", "resolved", "refused", "withdrawn"),
    "channel_": ("online", "direct", "post"),
    "item_": ("open", "claimed", "completed", "cancelled"),
    "level_": ("province", "district", "commune", "none"),
    "unit_": ("working_days", "days", "working_hours", "same_day"),
    "group_": ("form", "field", "procedure", "department", "level"),
    "sat_": ("1", "2", "3", "4", "5"),
    "modeler_outcome_": ("resolved", "refused", "withdrawn", "not_accepted"),
    "due_kind_": ("received", "pause", "apology"),
    "diff_": ("added", "changed", "removed"),
    "error_": ("403", "404", "409", "413", "422", "429", "500"),
}


def _used() -> set[str]:
    keys: set[str] = set()
    for path in WEB.rglob("*"):
        if path.suffix not in (".html", ".py") or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"\bt\(\s*['\"]([a-z0-9_]+)['\"]", text))
        keys |= set(re.findall(r"\"((?:nav|form|notice|chart|heat)_[a-z0-9_]+)\"", text))
    keys |= set(MODELER_TEXT)
    keys |= {prefix + value for prefix, values in PREFIXED.items() for value in values}
    return keys


def test_every_key_is_in_the_dictionary_in_both_languages() -> None:
    for lang in i18n.LANGUAGES:
        missing = sorted(k for k in _used() if not i18n.has(lang, k) and not k.endswith("_"))
        assert missing == [], lang


def test_placeholders_are_filled_and_unknown_keys_show_themselves() -> None:
    assert i18n.translate("vi", "queue_count", total=3) == "3 bước đang chờ"
    assert i18n.translate("en", "queue_count", total=3) == "3 steps pending"
    assert i18n.translate("en", "form_min") == "The smallest value is %(bound)s."
    assert i18n.translate("vi", "no_such_key") == "no_such_key"
