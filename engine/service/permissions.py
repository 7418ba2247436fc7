"""Who may do what, in one place: the use cases enforce these answers and the doors (API,
web pages, CLI, the menu) ask the same functions, so a rule is never restated.

``may_*`` answer yes or no (for a menu entry or a button); ``require_*`` and ``can_*`` raise
``NotAllowed`` (for a use case). An administrator may do everything; an inactive account
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.errors import NotAllowed
from engine.model import User, WorkItem

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
        raise NotAllowed(f"this needs the role {' or '.join(roles)}; "
                         f"{user.username} has {', '.join(sorted(user.roles)) or 'none'}")


def require_department(user: User, department: str) -> None:
    if department not in user.departments:
        raise NotAllowed(f"{user.username} is not a member of department {department}")


# ---- steps ------------------------------------------------------------------------------

def may_handle(user: User | None, department: str) -> bool:
    """Staff and leaders claim, release and complete the steps of their own departments."""
    return may(user, *STEP_HANDLERS) and user is not None and (
        user.has_role("admin") or department in user.departments)


def can_handle(user: User, item: WorkItem) -> None:
    require_role(user, *STEP_HANDLERS)
    if not user.has_role("admin"):
        require_department(user, item.department_code)


def may_lead(user: User | None, department: str) -> bool:
    """Leaders hand over and release the steps of their own departments."""
    return may(user, "leader") and user is not None and (
        user.has_role("admin") or department in user.departments)


def can_lead(user: User, department: str) -> None:
    require_role(user, "leader")
    if not user.has_role("admin"):
        require_department(user, department)


def may_read_queues(user: User | None) -> bool:
    return may(user, *DOSSIER_READERS)


def may_work_steps(user: User | None) -> bool:
    """The "my work" and department queues of the menu."""
    return may(user, *STEP_HANDLERS)


def reads_every_queue(user: User) -> bool:
    return user.has_role("auditor", "admin")


def can_read_step(user: User, item: WorkItem) -> None:
    """Auditors and admins read every step; staff and leaders those of their departments."""
    if not reads_every_queue(user):
        can_handle(user, item)


# ---- dossiers ---------------------------------------------------------------------------

def at_desk(reception_department: str, user: User | None) -> bool:
    """A member of the one-stop desk (reception) department."""
    return user is not None and reception_department in user.departments


def may_receive(reception_department: str, user: User | None) -> bool:
    """Staff and leaders of the one-stop desk receive dossiers (and administrators)."""
    return may(user, *STEP_HANDLERS) and user is not None and (
        user.has_role("admin") or at_desk(reception_department, user))


def require_receiver(reception_department: str, user: User) -> None:
    require_role(user, *STEP_HANDLERS)
    if not user.has_role("admin"):
        require_department(user, reception_department)


def may_read_dossiers(user: User | None) -> bool:
    return may(user, *DOSSIER_READERS)


def can_read_dossiers(user: User) -> None:
    require_role(user, *DOSSIER_READERS)


def reads_every_dossier(reception_department: str, user: User) -> bool:
    """Leaders, auditors, admins and the one-stop desk read every dossier."""
    return user.has_role("leader", "auditor", "admin") or (
        user.has_role("staff") and at_desk(reception_department, user))


def may_see_dossier(reception_department: str, user: User | None,
                    step_departments: Iterable[str]) -> bool:
    """Other staff read the dossiers that have or had a step in one of their departments."""
    if user is None or not may_read_dossiers(user):
        return False
    return reads_every_dossier(reception_department, user) or any(
        d in user.departments for d in step_departments)


def can_see_dossier(reception_department: str, user: User, code: str,
                    step_departments: Iterable[str]) -> None:
    require_role(user, *DOSSIER_READERS)
    if not may_see_dossier(reception_department, user, step_departments):
        raise NotAllowed(f"{user.username}'s departments have no step of dossier {code}")


def may_reprint_receipt(reception_department: str, user: User | None) -> bool:
    """The receipt again: the one-stop desk, leaders and auditors (its secret is never shown
    again)."""
    return user is not None and may(user, *DOSSIER_READERS) and reads_every_dossier(
        reception_department, user)


def can_reprint_receipt(reception_department: str, user: User) -> None:
    require_role(user, *DOSSIER_READERS)
    if not reads_every_dossier(reception_department, user):
        raise NotAllowed(f"only the one-stop desk ({reception_department}), leaders "
                         "and auditors print receipts")


def may_apologise(user: User | None, step_departments: Iterable[str]) -> bool:
    """A leader of a department the dossier went through apologises for its lateness."""
    wanted = set(step_departments)
    return may(user, "leader") and user is not None and (
        user.has_role("admin") or bool(wanted & user.departments))


def may_see_late_dossiers(user: User | None) -> bool:
    """The leader's page: overdue steps and dossiers needing an apology (auditors read them
    too, as ``overdue_tasks`` and ``needing_apology`` allow)."""
    return may(user, "leader", "auditor")


# ---- reports, exports, the log, procedures, incidents -----------------------------------

def may_read_reports(user: User | None) -> bool:
    return may(user, *REPORT_READERS)


def can_read_report(user: User) -> None:
    require_role(user, *REPORT_READERS)


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
