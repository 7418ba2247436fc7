"""Who may do what: checked in the use cases, so every entry point (API, CLI) is covered."""

from __future__ import annotations

from engine.errors import NotAllowed
from engine.model import User, WorkItem


def require_role(user: User, *roles: str) -> None:
    if not user.has_role(*roles, "admin") or not user.active:
        raise NotAllowed(f"this needs the role {' or '.join(roles)}; "
                         f"{user.username} has {', '.join(sorted(user.roles)) or 'none'}")


def require_department(user: User, department: str) -> None:
    if department not in user.departments:
        raise NotAllowed(f"{user.username} is not a member of department {department}")


def can_handle(user: User, item: WorkItem) -> None:
    """Staff and leaders handle the items of their own departments."""
    require_role(user, "staff", "leader")
    if not user.has_role("admin"):
        require_department(user, item.department_code)


def can_lead(user: User, department: str) -> None:
    require_role(user, "leader")
    if not user.has_role("admin"):
        require_department(user, department)


def can_read_dossiers(user: User) -> None:
    require_role(user, "staff", "leader", "auditor")
