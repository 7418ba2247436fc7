"""The office's printed documents for one dossier, as HTML pages to print from the browser.

- the process control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ): whoever may read
  the dossier (the rule of ``engine.service.queries``);
- the appointment receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), re-printed: the
  one-stop desk, leaders and auditors, once the desk has accepted the dossier (409 while it
  is being checked or after a refusal). The receipt secret is stored hashed, so a
  re-printed receipt cannot show it;
- the refusal slip (Phiếu từ chối tiếp nhận, giải quyết hồ sơ) of the desk's check:
  whoever may read the dossier;
- the supplement request (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) and the latest apology
  letter (Phiếu xin lỗi và hẹn lại ngày trả kết quả): whoever may read the dossier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from engine.audit.chain import dossier_chain
from engine.documents import render
from engine.documents.render import Letterhead
from engine.errors import Conflict, NotFound
from engine.i18n import msg
from engine.model import AuditEvent, Dossier, User, WorkItem
from engine.service import queries
from engine.service.desk import ACCEPT, REFUSE, SUPPLEMENT, awaiting_check, last_check
from engine.service.office import Office, in_office_zone
from engine.service.permissions import can_reprint_receipt
from engine.service.procedures import loaded_version
from engine.store import UnitOfWork

LOOKUP_PATH = "/tra-cuu/"
# Events a use case writes between a step's completion and the pause it causes.
_SAME_STEP = ("item_handed_over", "item_cancelled", "clock_resumed")


def _dossier(uow: UnitOfWork, code: str) -> Dossier:
    dossier = uow.dossiers.by_code(code.strip())
    if dossier is None:
        raise NotFound(msg("err_dossier_with_code", code=code))
    return dossier


def unit_letterhead(office: Office, uow: UnitOfWork, head: Letterhead, unit: str) -> Letterhead:
    """The letterhead of the unit that received the dossier: its People's Committee and its
    one-stop desk, as the unit's data and departments name them (the door's defaults for an
    installation without units)."""
    found = office.units(uow).unit(unit)
    desk = uow.org.department(unit, office.reception_department)
    if found is None and desk is None:
        return head
    agency = head.agency_name
    if found is not None:
        # "Phường Hà Đông" -> "UBND phường Hà Đông": the unit's type word in lower case.
        agency = "UBND " + found.name[:1].lower() + found.name[1:]
    return replace(head, agency_name=agency, unit_name=desk.name if desk else head.unit_name)


def _procedure_name(office: Office, uow: UnitOfWork, dossier: Dossier) -> str:
    return loaded_version(office, uow, dossier.version_id).meta.name or dossier.procedure_key


def control_sheet(office: Office, user: User, code: str, head: Letterhead) -> str:
    """The sheet of ``engine.audit.timeline`` laid out as the paper form."""
    sheet = queries.timeline(office, user, code)
    names = {row.department: row.department_name for row in sheet.rows if row.department_name}
    usernames = {u for row in sheet.rows for u in (row.handed_over_by, row.claimed_by) if u}
    usernames |= {c.actor for c in sheet.due_history if c.actor}
    with office.db.unit_of_work(readonly=True) as uow:
        departments = {d.code: d.name for d in uow.org.departments()} | names
        people = uow.lookups.full_names(usernames)
    return render.control_sheet(in_office_zone(office, head), sheet, departments, people,
                                office.reception_department)


def receipt(office: Office, user: User, code: str, head: Letterhead, base_url: str) -> str:
    """The receipt with a QR code of the public lookup page ``<base_url>/tra-cuu/<code>``."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        can_reprint_receipt(office.reception_department, user,
                            (dossier.receiving_unit, dossier.resolving_unit),
                            office.units(uow).below_all)
        not_yet = awaiting_check(office, uow, dossier)
        check = last_check(uow, dossier)
        if not_yet or (check is not None and check.decision == REFUSE):
            raise Conflict(msg("desk_not_accepted_yet", code=dossier.code))
        name = _procedure_name(office, uow, dossier)
        head = unit_letterhead(office, uow, head, dossier.receiving_unit)
        signer, documents = receipt_signature(uow, dossier)
    lookup = base_url.rstrip("/") + LOOKUP_PATH + quote(dossier.code, safe="")
    return render.receipt(in_office_zone(office, head), dossier, name, None, lookup, signer,
                          documents)


def receipt_signature(uow: UnitOfWork, dossier: Dossier) -> tuple[str, Sequence[Any]]:
    """Who signs the receipt (full name) and the documents it lists: the clerk who accepted
    the dossier at the desk's check and what they received; for a dossier never checked
    (kept from before the check, or a procedure without one), the clerk who received it."""
    check = last_check(uow, dossier)
    if check is not None and check.decision == ACCEPT:
        return check.checked_by_name, check.received
    who = dossier.received_by
    return uow.lookups.full_names([who]).get(who, who), ()


def refusal_slip(office: Office, user: User, code: str, head: Letterhead) -> str:
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ: the desk's refusal, with its reasons and the
    full name of the clerk; whoever may read the dossier. 404 if it was not refused."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        queries.require_dossier_reader(office, uow, user, dossier)
        check = last_check(uow, dossier)
        if check is None or check.decision != REFUSE:
            raise NotFound(msg("desk_no_refusal", code=dossier.code))
        name = _procedure_name(office, uow, dossier)
        head = unit_letterhead(office, uow, head, dossier.receiving_unit)
    return render.refusal(in_office_zone(office, head), dossier, name, check.checked_at,
                          check.reasons, check.checked_by_name, check.received)


def apology_letter(office: Office, user: User, code: str, head: Letterhead) -> str:
    """The latest apology letter: the date promised before it, the new one and the reason."""
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        queries.require_dossier_reader(office, uow, user, dossier)
        letters = [c for c in uow.dossiers.due_changes(dossier.id) if c.kind == "apology"]
        if not letters:
            raise NotFound(msg("err_apology_was_issued_dossier", dossier_code=dossier.code))
        latest = max(letters, key=lambda c: (c.at, c.id))
        name = _procedure_name(office, uow, dossier)
        signer = uow.lookups.full_names([latest.actor]).get(latest.actor, latest.actor)
        head = unit_letterhead(office, uow, head, dossier.receiving_unit)
    promised = latest.previous_due_at or dossier.due_at or latest.new_due_at
    return render.apology(in_office_zone(office, head), dossier, name, latest.reason, promised,
                          latest.new_due_at, signer, latest.at)


def supplement_request(office: Office, user: User, code: str, head: Letterhead) -> str:
    """The request for the step that last stopped the clock for the applicant.

    Found without knowing the procedure: the latest completed step whose completion was
    followed, in the same use case, by a ``clock_paused`` event. What to supply is the text
    the officer typed in that step's free-text fields (those without a list of choices).
    """
    with office.db.unit_of_work(readonly=True) as uow:
        dossier = _dossier(uow, code)
        queries.require_dossier_reader(office, uow, user, dossier)
        check = last_check(uow, dossier)
        if check is not None and check.decision == SUPPLEMENT and dossier.resolved_at is None:
            # Asked at the desk's check, before the dossier was received (Mẫu 02).
            name = _procedure_name(office, uow, dossier)
            head = unit_letterhead(office, uow, head, dossier.receiving_unit)
            return render.supplement_request(in_office_zone(office, head), dossier, name,
                                             check.checked_at, check.reasons,
                                             check.checked_by_name, check.missing)
        item_id = last_pausing_step(uow.audit.events(dossier_chain(dossier.id)))
        item = uow.items.get(item_id) if item_id is not None else None
        if item is None or item.completed_at is None:
            raise NotFound(msg("err_dossier_never_waited_supplement", dossier_code=dossier.code))
        form = loaded_version(office, uow, dossier.version_id).form(item.form) or {}
        name = _procedure_name(office, uow, dossier)
        officer = item.completed_by or ""
        officer = uow.lookups.full_names([officer]).get(officer, officer)
        head = unit_letterhead(office, uow, head, dossier.receiving_unit)
    return render.supplement_request(in_office_zone(office, head), dossier, name,
                                     item.completed_at, _requested(item, form), officer)


def last_pausing_step(events: Sequence[AuditEvent]) -> int | None:
    found: int | None = None
    completed: int | None = None
    for event in sorted(events, key=lambda e: e.seq):
        if event.kind == "item_completed":
            completed = event.work_item_id
        elif event.kind == "clock_paused":
            if completed is not None:
                found = completed
            completed = None
        elif event.kind not in _SAME_STEP:
            completed = None
    return found


def _requested(item: WorkItem, form: dict[str, Any]) -> str:
    """The free text of the step's result (one field: its value; several: titled lines);
    without any, the label of the choice made."""
    properties = form.get("properties")
    fields: dict[str, Any] = properties if isinstance(properties, dict) else {}
    texts: list[tuple[str, str]] = []
    choices: list[str] = []
    for key, value in (item.result or {}).items():
        found = fields.get(key)
        spec: dict[str, Any] = found if isinstance(found, dict) else {}
        options = spec.get("oneOf") or spec.get("enum")
        title = spec.get("title")
        if isinstance(options, list):
            choices += [o["title"] for o in options if isinstance(o, dict)
                        and o.get("const") == value and isinstance(o.get("title"), str)]
        elif isinstance(value, str) and value.strip() and spec.get("format") is None:
            texts.append((title if isinstance(title, str) else key, value.strip()))
    if len(texts) == 1:
        return texts[0][1]
    if texts:
        return "\n".join(f"{title}: {value}" for title, value in texts)
    return "\n".join(choices) or "—"
