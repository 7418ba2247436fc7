"""The demo office's past across the 1 July 2025 reform: ``make_the_past``.

Before the reform the law of that time is deployed (business registration and construction
permits at district level) and the dossiers are received at the district desk of Quận Hà Đông
(district-level procedures) and at two of its wards' desks (copies and births); on 1 July
2025 the procedures as shipped (all commune level) are deployed and the new wards' desks
receive everything. Work under way on 30 June goes on under the version it was received by.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from engine.errors import InvalidInput
from engine.i18n import msg
from engine.service import deploy
from engine.service.demo import WARDS
from engine.service.demo_history import (
    COMMUNE_BEFORE_THE_REFORM,
    DISTRICT,
    DISTRICT_UNTIL_THE_REFORM,
    FORMER_WARDS,
    REFORM_DAY,
    procedures_before_the_reform,
    seed_before_the_reform,
)
from engine.service.office import Office
from engine.simulation.history import PROCEDURES, Desk, Era, HistorySummary, simulate

FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2025, 12, 31)
DEPLOYER = "designer"


def make_the_past(office: Office, files: dict[str, bytes], first: date = FIRST_DAY,
                  last: date = LAST_DAY, seed: int = 2024, per_day: float = 3.0,
                  progress: Callable[[int, int], None] | None = None) -> HistorySummary:
    """Seed the organisation of both eras, then simulate ``first`` to ``last`` (included),
    about ``per_day`` dossiers a working day at each desk, deploying the law of each era
    (``files``: the shipped procedures, as ``motcua deploy processes/`` reads them) on the
    era's first day. The database must not have the demo procedures deployed yet."""
    if last < first:
        raise InvalidInput(msg("err_history_ends_before_starts", last=last, first=first))
    refuse_deployed(office)
    seed_before_the_reform(office)
    before = procedures_before_the_reform(files)
    return simulate(office, eras(files, before, first, last), seed, per_day,
                    progress=progress)


def eras(shipped: dict[str, bytes], before: dict[str, bytes], first: date,
         last: date) -> list[Era]:
    """The eras of ``first``..``last``: before the reform, since the reform (either may be
    missing); the first era present deploys what it needs of both laws."""
    found: list[Era] = []
    if first < REFORM_DAY:
        end = min(last, REFORM_DAY - timedelta(days=1))
        found.append(Era(first, end, _desks_before(), _deployer(before)))
    if last >= REFORM_DAY:
        start = max(first, REFORM_DAY)
        found.append(Era(start, last, _desks_after(), _deployer(shipped)))
    return found


def _desks_before() -> tuple[Desk, ...]:
    district = Desk(DISTRICT, DISTRICT_UNTIL_THE_REFORM)
    return (district, *(Desk(w.agency, COMMUNE_BEFORE_THE_REFORM) for w in FORMER_WARDS))


def _desks_after() -> tuple[Desk, ...]:
    return tuple(Desk(w.agency, tuple(PROCEDURES)) for w in WARDS)


def _deployer(files: dict[str, bytes]) -> Callable[[Office], None]:
    def opening(office: Office) -> None:
        deploy.deploy(office, files, DEPLOYER)
    return opening


def refuse_deployed(office: Office) -> None:
    """Refuse a database where a demo procedure is deployed (so it may hold dossiers)."""
    with office.db.unit_of_work(readonly=True) as uow:
        deployed = sorted(k for k in PROCEDURES if uow.catalog.latest(k) is not None)
    if deployed:
        raise InvalidInput(msg("err_already_deployed_past_made_new", deployed=', '.join(deployed)))
