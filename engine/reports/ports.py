"""What the reports and the event-log export read, declared here so they depend on no
concrete store: the use cases hand them their unit of work (``engine.store.UnitOfWork``
has these repositories as ``reports`` and ``lookups``)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol

from engine.store.report_sheets import LateDossier, RatingCounts
from engine.store.reports import Window


class ReportReads(Protocol):
    def form06_rows(self, w: Window, group_by: str) -> list[dict[str, Any]]: ...

    def form06_total(self, w: Window) -> dict[str, Any]: ...

    def procedure_exists(self, key: str) -> bool: ...

    def procedure_name(self, key: str, before: datetime) -> str | None: ...

    def completed_items(self, w: Window, *, procedure: str | None = None,
                        departments: Collection[str] | None = None) -> Iterator[Any]: ...

    def late_steps(self, w: Window, procedure: str) -> tuple[int, list[dict[str, Any]]]: ...

    def dossier_steps(self, start: datetime | None, end: datetime | None,
                      units: frozenset[str] | None = None) -> Iterator[Any]: ...


class SheetReads(Protocol):
    """The sheets that go with form 06 (``engine.store.UnitOfWork.sheets``)."""

    def ratings_per_unit_procedure(self, w: Window, extra: Sequence[tuple[str, str]] = ()
                                   ) -> list[RatingCounts]: ...

    def late_dossiers(self, w: Window) -> Iterator[LateDossier]: ...


class NameReads(Protocol):
    def full_names(self, usernames: Collection[str] | None = None) -> dict[str, str]: ...


class ReportUnit(Protocol):
    """A read transaction with the repositories the reports use."""

    @property
    def reports(self) -> ReportReads: ...

    @property
    def lookups(self) -> NameReads: ...
