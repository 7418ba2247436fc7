"""Messages to a dossier's applicant: written to the outbox in the transaction of the event
that causes them (so a message is never lost with a rolled-back event, nor written twice for
one), sent later by the worker (engine.service.outbox_worker).

The applicant's data says where and how: ``email``, ``phone`` (checked by engine.people) and
``notify``, the channels they chose among ``email`` and ``sms`` (absent: every channel they
gave a contact for; empty: none). A message carries the dossier code, the unit's name, a date
and the lookup address, never the applicant's name, ID number or phone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.i18n import LANGUAGES
from engine.model import Dossier, DossierStatus, NotifyChannel, OutboxStatus
from engine.notify import KINDS, render
from engine.service.office import Office
from engine.store import UnitOfWork

CHANNELS = (NotifyChannel.EMAIL, NotifyChannel.SMS)


def chosen_channels(applicant: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(channel, recipient) for each channel the applicant chose and gave a contact for."""
    contacts = {NotifyChannel.EMAIL: str(applicant.get("email") or "").strip(),
                NotifyChannel.SMS: str(applicant.get("phone") or "").strip()}
    choice = applicant.get("notify")
    wanted = list(CHANNELS) if choice is None else [
        c for c in CHANNELS if isinstance(choice, list | tuple) and c.value in choice]
    return [(c.value, contacts[c]) for c in wanted if contacts[c]]


def notify(office: Office, uow: UnitOfWork, dossier: Dossier, kind: str,
           params: Mapping[str, str] | None = None, *,
           only: Sequence[str] | None = None) -> int:
    """Queue the ``kind`` message to the dossier's applicant in the caller's unit of work (no
    commit): one outbox row per chosen channel with a contact, restricted to ``only`` when
    given. Returns how many rows were written. ``params``: ``date`` (dd/mm/yyyy) for an
    apology, ``secret`` for a recovered secret."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    config = office.notify
    targets = [(c, r) for c, r in chosen_channels(dossier.applicant)
               if c in config.channels and (only is None or c in only)]
    if not targets:
        return 0
    lang = str(dossier.applicant.get("lang") or "vi")
    lang = lang if lang in LANGUAGES else "vi"
    unit = unit_name(office, uow, dossier)
    url = config.lookup_url(dossier.code)
    now = office.now()
    rows = []
    for channel, recipient in targets:
        text = render(kind, channel, lang, dossier.code, unit, url, params,
                      sms_ascii=config.sms_ascii)
        rows.append(dict(dossier_id=dossier.id, kind=kind, channel=channel,
                         recipient=recipient[:320], subject=text.subject[:300], body=text.body,
                         status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=now,
                         created_at=now))
    return uow.outbox.add(rows)


def unit_name(office: Office, uow: UnitOfWork, dossier: Dossier) -> str:
    """The official name of the unit the applicant deals with: the desk that received it."""
    code = dossier.receiving_unit or dossier.agency_code
    name = office.units(uow).name(code)
    if name:  # "Phường Hà Đông" -> "UBND phường Hà Đông", as the letterhead writes it
        return "UBND " + name[:1].lower() + name[1:]
    return office.notify.office_name or code


def notify_progress(office: Office, uow: UnitOfWork, dossier: Dossier,
                    values: Mapping[str, Any], opened: Sequence[tuple[str, bool]]) -> int:
    """The messages a move of the workflow causes (engine.service.progress.sync), from what
    it changes on the dossier (``values``) and the steps it opened ((department, pauses the
    clock), the desk's check left out):

    - accepted for resolution now (``accepted_at`` set for the first time): ``received``;
    - a step that waits for the applicant opened: ``supplement``;
    - the result reached the desk (a desk step that does not wait for the applicant opened
      after a department's step), or the dossier was resolved without such a step:
      ``result_ready``, once per dossier;
    - finished refused, at the desk or later: ``refused``.
    """
    written = 0
    accepted = dossier.accepted_at is not None or bool(values.get("accepted_at"))
    if dossier.accepted_at is None and values.get("accepted_at"):
        written += notify(office, uow, dossier, "received")
    if any(pauses for _, pauses in opened):
        written += notify(office, uow, dossier, "supplement")
    status = values.get("status")
    desk = office.reception_department
    back_at_desk = accepted and any(d == desk and not p for d, p in opened) and any(
        i.department_code != desk for i in uow.items.for_dossier(dossier.id))
    if (back_at_desk or status == DossierStatus.RESOLVED) and \
            not uow.outbox.has_kind(dossier.id, "result_ready"):
        written += notify(office, uow, dossier, "result_ready")
    if status in (DossierStatus.REFUSED, DossierStatus.NOT_ACCEPTED):
        written += notify(office, uow, dossier, "refused")
    return written
