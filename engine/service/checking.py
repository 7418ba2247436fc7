"""Checking definition files where there is no database (a designer's laptop, a CI job):
the lanes are checked against the departments of an organisation file, or of the demo
organisation, and nothing deployed is there to call."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from typing import Any

from engine.errors import InvalidInput, Problem
from engine.i18n import msg
from engine.service.demo import CITY_DEPARTMENTS, WARD_DEPARTMENTS

MAX_FILE_BYTES = 1024 * 1024  # an organisation file lists departments: far below this


def demo_departments() -> set[str]:
    """The department codes of the demo organisation (``motcua demo``)."""
    return set(WARD_DEPARTMENTS) | set(CITY_DEPARTMENTS)


def _parsed(name: str, data: bytes) -> Any:
    text = data.decode("utf-8")
    if name.lower().endswith(".toml"):
        return tomllib.loads(text)
    if name.lower().endswith(".json"):
        return json.loads(text)
    raise InvalidInput(msg("org_file_kind", file=name))


def read_organisation(name: str, data: bytes) -> set[str]:
    """The department codes of an organisation file (TOML or JSON, see organisation.md):
    ``departments``, a list of tables each with a ``code`` (and, for people, a ``name``)."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(msg("org_file_unreadable", file=name, error="> 1 MiB"))
    try:
        document = _parsed(name, data)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(msg("org_file_unreadable", file=name, error=str(exc))) from exc
    listed = document.get("departments") if isinstance(document, dict) else None
    if not isinstance(listed, list) or not listed:
        raise InvalidInput(msg("org_file_no_departments", file=name))
    codes: set[str] = set()
    for number, entry in enumerate(listed, start=1):
        code = entry.get("code") if isinstance(entry, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise InvalidInput(msg("org_file_bad_department", file=name, number=number))
        codes.add(code.strip())
    return codes


def validate_alone(files: dict[str, bytes], departments: set[str]) -> list[Problem]:
    """Every problem of ``files``, checked against ``departments`` only (no database)."""
    from engine.service.bundles import read_versions, version_days

    bundle = read_versions(files, departments, {})
    if not bundle.problems:  # a day written wrong in a file (today: any day is fine here)
        bundle.problems.extend(version_days(bundle, None, date.today())[1])
    return bundle.problems
