"""The office's printed forms as the web pages show them: the receipt right after a
submission (with the secret, this once), and what the printed forms need of a dossier."""

from __future__ import annotations

from dataclasses import dataclass

from engine.documents.render import CONTENT_SECURITY_POLICY, Letterhead
from engine.documents.render import receipt as render_receipt
from engine.model import Dossier, User
from engine.service.documents import receipt_signature
from engine.service.office import Office, in_office_zone
from engine.service.procedures import loaded_version

from .common import dossier_by_code
from .dossiers import require_dossier_reader

__all__ = ["CONTENT_SECURITY_POLICY", "Letterhead", "Printable", "ReceivedView", "printable",
           "received"]


@dataclass(frozen=True)
class Printable:
    """What the printed forms need: the dossier record and its procedure's name."""

    dossier: Dossier
    procedure_name: str


def printable(office: Office, user: User, code: str) -> Printable:
    """The dossier as the printed forms show it, for whoever may read the dossier."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = dossier_by_code(uow, code)
        require_dossier_reader(office, uow, user, dossier)
        name = loaded_version(office, uow, dossier.version_id).version.meta.get("name")
    return Printable(dossier, name or dossier.procedure_key)


@dataclass(frozen=True)
class ReceivedView:
    dossier: Dossier
    procedure_name: str
    printed: str  # the receipt's HTML, with the secret when it was still at hand


def received(office: Office, user: User, code: str, head: Letterhead, secret: str | None,
             lookup_url: str) -> ReceivedView:
    """The receipt of a dossier just received; ``secret`` is the one the desk was shown, kept
    in the browser until this page (the database holds only its hash)."""
    found = printable(office, user, code)
    with office.db.unit_of_work(readonly=True) as uow:
        signer, documents = receipt_signature(uow, found.dossier)
    printed = render_receipt(in_office_zone(office, head), found.dossier, found.procedure_name,
                             secret, lookup_url, signer, documents)
    return ReceivedView(found.dossier, found.procedure_name, printed)
