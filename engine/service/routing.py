"""Where a dossier goes when it is received: the unit whose desk takes it (its code is that
unit's), the unit competent to resolve it (by the procedure's level and the applicant's
choice), and the desk that returns the result (``result_returned_by``: the receiving desk
unless the procedure says the resolving one). Decree 118/2025/NĐ-CP lets a person file at
any desk in the province; this is the one place that decides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.definitions.vocabulary import ProcedureMeta
from engine.errors import InvalidInput, NotAllowed
from engine.i18n import Message, msg
from engine.model import UnitLevel, User
from engine.service.office import Office
from engine.service.permissions import can_receive_at, desk_units
from engine.store import UnitOfWork
from engine.units.tree import UnitTree

RETURNED_BY = ("receiving", "resolving")


@dataclass(frozen=True)
class Route:
    receiving: str  # agency codes
    resolving: str
    returning: str  # the unit whose desk holds the procedure's desk-lane steps


def returning_unit(meta: ProcedureMeta, receiving: str, resolving: str) -> str:
    """The desk that holds the desk-lane steps (return of the result included)."""
    return resolving if meta.properties.get("result_returned_by") == "resolving" else receiving


def route(office: Office, uow: UnitOfWork, meta: ProcedureMeta, actor: User | None, day: date,
          receiving_unit: str | None, resolving_unit: str | None) -> Route:
    """Decide the route or refuse with what to fix; nothing is written either way."""
    tree = office.units(uow)
    desk = office.reception_department
    receiving = _receiving(office, uow, tree, actor, day, receiving_unit, resolving_unit)
    resolving = _resolving(tree, meta, day, receiving, resolving_unit)
    returning = returning_unit(meta, receiving, resolving)
    # The open departments of the route's units, read once.
    open_ = {(d.agency_code, d.code)
             for d in uow.org.departments_in({receiving, resolving, returning}) if d.active}
    for unit in dict.fromkeys((receiving, returning)):
        if (unit, desk) not in open_:
            raise InvalidInput(msg("err_unit_has_open_one_stop",
                                   value=_named(tree, unit), desk=desk))
    for department in sorted(_departments(meta, desk)):
        if (resolving, department) not in open_:
            raise InvalidInput(msg("err_unit_has_open_department_which",
                                   value=_named(tree, resolving), department=department,
                                   meta_key=meta.key))
    offs = uow.org.switched_off(meta.key, {receiving, resolving})
    if offs:
        off = offs[0]
        raise InvalidInput(msg("err_procedure_switched_off_unit_since",
                               meta_key=meta.key, value=_named(tree, off.unit), since=off.since,
                               reason=off.reason))
    return Route(receiving, resolving, returning)


@dataclass(frozen=True)
class UnitChoice:
    agency_code: str
    name: str


@dataclass(frozen=True)
class ResolvingChoices:
    """The units a desk may send a procedure to, and the one it goes to unless told."""

    default: str | None
    units: list[UnitChoice]


def resolving_choices(office: Office, uow: UnitOfWork, meta: ProcedureMeta, actor: User,
                      day: date) -> ResolvingChoices:
    """The units of the procedure's level that exist on ``day`` and have every department it
    needs open; the default is the one ``route`` takes when the desk names none."""
    tree = office.units(uow)
    level = _level(meta.level)
    if not tree or level is None:
        return ResolvingChoices(None, [])
    needed = _departments(meta, office.reception_department)
    candidates = tree.on(day, level)
    open_ = {(d.agency_code, d.code) for d in
             uow.org.departments_in({u.agency_code for u in candidates}) if d.active}
    units = [UnitChoice(u.agency_code, u.name) for u in candidates
             if all((u.agency_code, d) in open_ for d in needed)]
    desks = desk_units(office.reception_department, actor)
    home = next(iter(desks)) if len(desks) == 1 else (
        office.agency_code if office.agency_code in desks else None)
    default = tree.ancestor(home, level, day) if home else None
    return ResolvingChoices(default, units)


def _named(tree: UnitTree, agency: str) -> str:
    name = tree.name(agency)
    return f"{agency} ({name})" if name else agency


def _departments(meta: ProcedureMeta, desk: str) -> set[str]:
    used = {d for _, d in meta.lanes.values() if d} | {
        s.department for s in meta.steps.values() if s.department}
    return used - {desk}


def _exists(tree: UnitTree, agency: str, day: date, what: Message) -> None:
    """Refuse a unit that is not in the units, or did not exist on the day of filing (an
    installation that imported no units has one office and checks nothing)."""
    if not tree or tree.unit(agency, day) is not None:
        return
    known = tree.unit(agency)
    if known is None:
        raise InvalidInput(msg("err_administrative_unit_use_agency_code", what=what, agency=agency))
    until = f"{known.valid_to:%d/%m/%Y}" if known.valid_to else "now"
    raise InvalidInput(msg("err_did_exist_existed_from",
                           what=what, agency=agency, known_name=known.name, day=day,
                           valid_from=known.valid_from, until=until))


def _receiving(office: Office, uow: UnitOfWork, tree: UnitTree, actor: User | None, day: date,
               chosen: str | None, resolving: str | None) -> str:
    """The unit whose desk takes the dossier (``route`` checks the desk is open)."""
    desk = office.reception_department
    if actor is None:  # online: the unit the applicant names, else the competent one
        unit = chosen or resolving or office.agency_code
        _exists(tree, unit, day, msg("word_receiving_unit"))
        return unit
    if chosen is not None:
        _exists(tree, chosen, day, msg("word_receiving_unit"))
        can_receive_at(desk, actor, chosen)
        return chosen
    desks = (frozenset(uow.org.units_with(desk)) if actor.has_role("admin")
             else desk_units(desk, actor))
    if not desks:
        raise NotAllowed(msg("err_does_work_one_stop_desk", actor=actor.name_shown))
    if len(desks) == 1:
        unit = next(iter(desks))
    elif office.agency_code in desks:
        unit = office.agency_code
    else:
        raise InvalidInput(msg("err_you_work_several_desks_name", desks=', '.join(sorted(desks))))
    _exists(tree, unit, day, msg("word_receiving_unit"))
    return unit


def _resolving(tree: UnitTree, meta: ProcedureMeta, day: date, receiving: str,
               chosen: str | None) -> str:
    level = _level(meta.level)
    if chosen is not None:
        _exists(tree, chosen, day, msg("word_resolving_unit"))
        unit = tree.unit(chosen, day)
        if unit is not None and level is not None and unit.level != level:
            raise InvalidInput(msg("err_procedure_resolved_level_unit",
                                   meta_key=meta.key, level=msg(f"word_level_{level}"),
                                   value=_named(tree, chosen),
                                   level2=msg(f"word_level_{unit.level}")))
        return chosen
    if not tree or level is None:
        return receiving
    found = tree.ancestor(receiving, level, day)
    if found is None:
        raise InvalidInput(msg("err_procedure_resolved_by_unit_name",
                               meta_key=meta.key, level=msg(f"word_level_{level}")))
    return found


def _level(value: str | None) -> UnitLevel | None:
    try:
        return UnitLevel(value) if value else None
    except ValueError:
        return None
