"""How large attachments may be: one file, and all the files of one dossier together."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class FileLimits:
    per_file: int = 10 * MB
    per_dossier: int = 50 * MB

    def file_fits(self, size: int) -> bool:
        return 0 < size <= self.per_file

    def dossier_fits(self, stored: int, size: int) -> bool:
        """Whether a file of ``size`` bytes fits beside the ``stored`` bytes already there."""
        return stored + size <= self.per_dossier
