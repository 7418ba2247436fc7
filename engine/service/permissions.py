"""Who may do what, in one place: the use cases enforce these answers and the doors (API,
web pages, CLI, the menu) ask the same functions, so a rule is never restated.

``may_*`` answer yes or no (for a menu entry or a button); ``require_*`` and ``can_*`` raise
``NotAllowed`` (for a use case). An administrator may do everything; an inactive account
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from engine.errors import NotAllowed
from engine.i18n import msg
from engine.model import EVERYWHERE, Reach, User, WorkItem

# The units a set of units reaches down to (themselves included): ``UnitTree.below_all``.
Below = Callable[[Iterable[str]], frozenset[str]]

DOSSIER_READERS = ("staff", "leader", "auditor")
REPORT_READERS = ("auditor", "leader")
EVENT_LOG_READERS = ("auditor",)
LOG_VERIFIERS = ("auditor",)
INCIDENT_VIEWERS = ("leader", "designer", "auditor")
STEP_HANDLERS = ("staff", "leader")


def may(user: User | None, *roles: str) -> bool:
    """The user holds one of ``roles`` (or is an administrator) and is active."""
    return user is not None and user.active and user.has_role(*roles, "admin")


def require_role(user: User, *roles: str) -> None:
    if not may(user, *roles):
        raise NotAllowed(msg("err_needs_role_has",
                             roles=" / ".join(roles), user=user.name_shown,
                             value=', '.join(sorted(user.roles)) or "—"))


def _admin(user: User | None) -> bool:
    return user is not None and user.active and user.has_role("admin")


# ---- steps ------------------------------------------------------------------------------

def handler_reach(user: User) -> Reach:
    """The departments whose steps the user claims and completes: those where they are staff
    or leader, every department of a unit where they are so unit-wide; everything for an
    administrator."""
    if _admin(user):
        return EVERYWHERE
    if not user.active:
        return Reach()
    return Reach(places=user.places(*STEP_HANDLERS), units=user.unit_wide(*STEP_HANDLERS))


def may_handle(user: User | None, unit: str, department: str) -> bool:
    """Staff and leaders claim, release and complete the steps of their own departments."""
    return may(user, *STEP_HANDLERS) and user is not None and (
        _admin(user) or user.serves(unit, department, *STEP_HANDLERS))


def can_handle(user: User, item: WorkItem) -> None:
    require_role(user, *STEP_HANDLERS)
    if not may_handle(user, item.unit, item.department_code):
        raise NotAllowed(msg("err_member_department_unit",
                             user=user.name_shown, department_code=item.department_code,
                             item_unit=item.unit))


def may_lead(user: User | None, unit: str, department: str) -> bool:
    """Leaders hand over and release the steps of their own departments."""
    return may(user, "leader") and user is not None and (
        _admin(user) or user.serves(unit, department, "leader"))


def can_lead(user: User, unit: str, department: str) -> None:
    require_role(user, "leader")
    if not may_lead(user, unit, department):
        raise NotAllowed(msg("err_does_lead_department_unit",
                             user=user.name_shown, department=department, unit=unit))


def may_read_queues(user: User | None) -> bool:
    return may(user, *DOSSIER_READERS)


def may_work_steps(user: User | None) -> bool:
    """The "my work" and department queues of the menu."""
    return may(user, *STEP_HANDLERS)


def audited_units(user: User, below: Below) -> frozenset[str]:
    """The units whose every department and dossier an auditor reads: their own and every
    unit below (a city's inspector reads its wards)."""
    return below(user.units("auditor")) if user.active else frozenset()


def queue_reach(user: User, below: Below) -> Reach:
    """The queues a user reads: where they handle steps, and the units they audit."""
    own = handler_reach(user)
    if own.everywhere:
        return own
    return Reach(own.places, own.units | audited_units(user, below))


def can_read_step(user: User, item: WorkItem, below: Below) -> None:
    """Auditors read the steps of the units they audit; staff and leaders those of their
    departments."""
    if not queue_reach(user, below).covers(item.unit, item.department_code):
        can_handle(user, item)


# ---- dossiers ---------------------------------------------------------------------------

def desk_units(reception_department: str, user: User | None) -> frozenset[str]:
    """The units at whose one-stop desk the user receives dossiers."""
    if user is None or not user.active:
        return frozenset()
    return frozenset(m.unit for m in user.memberships
                     if m.department in (None, reception_department)
                     and m.roles.intersection(STEP_HANDLERS))


def may_receive(reception_department: str, user: User | None) -> bool:
    """Staff and leaders of a one-stop desk receive dossiers (and administrators)."""
    return may(user, *STEP_HANDLERS) and (
        _admin(user) or bool(desk_units(reception_department, user)))


def can_receive_at(reception_department: str, user: User, unit: str) -> None:
    require_role(user, *STEP_HANDLERS)
    if not _admin(user) and unit not in desk_units(reception_department, user):
        raise NotAllowed(msg("err_does_work_one_stop_desk_2", user=user.name_shown, unit=unit))


def may_read_dossiers(user: User | None) -> bool:
    return may(user, *DOSSIER_READERS)


def can_read_dossiers(user: User) -> None:
    require_role(user, *DOSSIER_READERS)


def reading_units(reception_department: str, user: User, below: Below) -> frozenset[str] | None:
    """The units whose every dossier (received or resolved there) the user reads: the units
    they lead, the units they audit and those below, the desks they work at. None: every
    unit (an administrator)."""
    if _admin(user):
        return None
    if not user.active:
        return frozenset()
    return (user.units("leader") | audited_units(user, below)
            | desk_units(reception_department, user))


def may_see_dossier(reception_department: str, user: User | None, dossier_units: Iterable[str],
                    step_places: Iterable[tuple[str, str]], below: Below) -> bool:
    """Leaders, auditors and the desk read the dossiers of their units; other staff those that
    have or had a step in one of their departments."""
    if user is None or not may_read_dossiers(user):
        return False
    units = reading_units(reception_department, user, below)
    if units is None or units.intersection(dossier_units):
        return True
    reach = handler_reach(user)
    return any(reach.covers(unit, department) for unit, department in step_places)


def can_see_dossier(reception_department: str, user: User, code: str,
                    dossier_units: Iterable[str], step_places: Iterable[tuple[str, str]],
                    below: Below) -> None:
    require_role(user, *DOSSIER_READERS)
    if not may_see_dossier(reception_department, user, dossier_units, step_places, below):
        raise NotAllowed(msg("err_dossier_one_s_units_departments", code=code,
                             user=user.name_shown))


def may_reprint_receipt(reception_department: str, user: User | None,
                        dossier_units: Iterable[str], below: Below) -> bool:
    """The receipt again: the dossier's one-stop desk, leaders and auditors of its units (its
    secret is never shown again)."""
    if user is None or not may(user, *DOSSIER_READERS):
        return False
    units = reading_units(reception_department, user, below)
    return units is None or bool(units.intersection(dossier_units))


def can_reprint_receipt(reception_department: str, user: User, dossier_units: Iterable[str],
                        below: Below) -> None:
    require_role(user, *DOSSIER_READERS)
    if not may_reprint_receipt(reception_department, user, dossier_units, below):
        raise NotAllowed(msg("err_only_one_stop_desk_leaders",
                             reception_department=reception_department))


def may_apologise(user: User | None, step_places: Iterable[tuple[str, str]]) -> bool:
    """A leader of a department the dossier went through apologises for its lateness."""
    if not may(user, "leader") or user is None:
        return False
    return _admin(user) or leads_any(user, step_places)


def leads_any(user: User, places: Iterable[tuple[str, str]]) -> bool:
    """A leader of one of these (unit, department) places."""
    return any(user.serves(unit, department, "leader") for unit, department in places)


def report_units(user: User, below: Below) -> frozenset[str] | None:
    """The units whose dossiers a report counts for this reader: an auditor's units and those
    below, a leader's units; None for an administrator (every unit)."""
    if _admin(user):
        return None
    return user.units("leader") | audited_units(user, below)


def may_see_late_dossiers(user: User | None) -> bool:
    """The leader's page: overdue steps and dossiers needing an apology (auditors read them
    too, as ``overdue_tasks`` and ``needing_apology`` allow)."""
    return may(user, "leader", "auditor")


# ---- reports, exports, the log, procedures, incidents -----------------------------------

def may_read_reports(user: User | None) -> bool:
    return may(user, *REPORT_READERS)


def can_read_report(user: User) -> None:
    require_role(user, *REPORT_READERS)


def may_submit_report(user: User | None, unit: str) -> bool:
    """Sending a unit's form 06 upward: administrators, and leaders in that unit (unit-wide
    or in any of its departments); a leader of another unit, even one below, may not."""
    return _admin(user) or (may(user, "leader") and user is not None
                            and unit in user.units("leader"))


def may_send_reports(user: User | None) -> bool:
    """Whether the user sends some unit's reports at all (the web's sending form)."""
    return _admin(user) or (user is not None and may(user, "leader")
                            and bool(user.units("leader")))


def can_submit_report(user: User, unit: str) -> None:
    if not may_submit_report(user, unit):
        raise NotAllowed(msg("err_leader_unit_so_may_send", user=user.name_shown, unit=unit))


def may_export_events(user: User | None) -> bool:
    return may(user, *EVENT_LOG_READERS)


def can_export_events(user: User) -> None:
    require_role(user, *EVENT_LOG_READERS)


def may_verify_log(user: User | None) -> bool:
    return may(user, *LOG_VERIFIERS)


def can_verify_log(user: User) -> None:
    require_role(user, *LOG_VERIFIERS)


def may_design(user: User | None) -> bool:
    return may(user, "designer")


def may_see_code(user: User | None) -> bool:
    """Scripts and conditions of a diagram: designers only (the others see it without)."""
    return may(user, "designer")


def may_view_incidents(user: User | None) -> bool:
    return may(user, *INCIDENT_VIEWERS)


# ---- administration ---------------------------------------------------------------------

def may_administer(user: User | None) -> bool:
    """Departments, accounts and memberships: administrators only."""
    return _admin(user)


def may_switch_procedures(user: User | None, unit: str) -> bool:
    """Whether a unit takes a procedure: administrators, and leaders in that unit."""
    return _admin(user) or (may(user, "leader") and user is not None
                            and unit in user.units("leader"))


def can_switch_procedures(user: User, unit: str) -> None:
    require_role(user, "leader")
    if not may_switch_procedures(user, unit):
        raise NotAllowed(msg("err_leader_unit", user=user.name_shown, unit=unit))
