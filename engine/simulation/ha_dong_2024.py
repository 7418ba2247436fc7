"""The seed report reproduced: Quận Hà Đông's 2024, simulated through the engine.

The seed is Hà Đông district's report on administrative procedures for January–November 2024
(see the project's domain notes, "Statistics"). ``HA_DONG_2024`` holds, level by level, the
seed's figures next to the parameters that produce them; ``make_ha_dong_2024`` seeds the
organisation of that time (the district and its seventeen wards, each with a desk), deploys
the law of that time on 1 January and simulates the year with the real use cases
(``engine.simulation.history.simulate``): real dossiers, work items and audit chains.

The volumes are calibrated on the seed's own window, 1 January – 30 November 2024, spread
evenly over its days (online, any calendar day) and working days (the desk and the post), and
over the desks of a level; December runs at the same rates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from engine.calendar import WorkingCalendar
from engine.errors import InvalidInput
from engine.i18n import msg
from engine.service import deploy
from engine.service.demo_history import (
    COMMUNE_BEFORE_THE_REFORM,
    DISTRICT,
    DISTRICT_UNTIL_THE_REFORM,
    procedures_before_the_reform,
)
from engine.service.demo_wards_2024 import seed_wards_2024, wards_2024
from engine.service.office import Office
from engine.simulation.history import (
    WEEKDAY_LOAD,
    Arrivals,
    Desk,
    Era,
    HistorySummary,
    Mix,
    simulate,
)
from engine.simulation.past import DEPLOYER, refuse_deployed

FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2024, 12, 31)
# The seed's window: its figures are for January to November 2024.
CALIBRATED_FROM, CALIBRATED_TO = date(2024, 1, 1), date(2024, 11, 30)


@dataclass(frozen=True)
class SeedFigures:
    """One level's line of the seed report (None: the seed gives no figure)."""

    received: int
    online: int | None
    resolved_in_time: int  # early or on time
    pending_within: int
    pending_overdue: int


@dataclass(frozen=True)
class LevelPlan:
    """How the simulation meets one level of the seed: its volumes and outcomes."""

    level: str
    seed: SeedFigures
    received: int  # new dossiers in the seed's window, all desks of the level together
    online_share: float
    procedures: dict[str, float]  # share of each procedure received at the level's desks
    mix: Mix  # refusals, late dossiers, supplements; each a share of the arrivals
    why: str  # where each parameter comes from


DISTRICT_PLAN = LevelPlan(
    level="district",
    seed=SeedFigures(received=14_000, online=4_855, resolved_in_time=14_322,
                     pending_within=383, pending_overdue=0),
    # "More than 14,000" received; 4,855 online were 33.1 % of them: 4,855 / 0.331 ≈ 14,668.
    received=14_668,
    online_share=0.331,
    # Calibrated, not the seed's: it names business registration as the busiest and gives
    # no split. Construction permits (15 working days) stand in for all the district's long
    # procedures (land, construction), which hold most of the seed's 383 pending; 40 % of
    # them gives 323 pending at the end of November (285 within, 38 awaiting a supplement).
    procedures={"dang_ky_ho_kinh_doanh": 0.6, "cap_phep_xay_dung": 0.4},
    # The seed lists no refusal, withdrawal or late dossier at district level, and none
    # overdue: the simulation plans none (construction permits still wait for supplements,
    # which stop the clock).
    mix=Mix(refuse_reception=0.0, refuse_appraisal=0.0, refuse_site=0.0, supplement=0.3,
            withdraw=0.0, returns=0.02, late=0.0, apologise=0.0),
    why="received: derived from the online count and share; online share: the seed's; "
        "procedure split and supplements: assumed",
)

WARD_PLAN = LevelPlan(
    level="commune",
    seed=SeedFigures(received=66_305, online=None, resolved_in_time=60_773,
                     pending_within=88, pending_overdue=24),
    received=66_305,
    # Calibrated, not the seed's (it gives no ward figure): copies are certified from the
    # original at the desk, so few ward dossiers come online; 8 % gives 72 pending within at
    # the end (the seed: 88; online dossiers of the weekend, desk dossiers after 15:00).
    online_share=0.08,
    # Assumption: about 5,000 births a year in the district's wards (some 400,000 people at
    # about 13 per thousand); copies are the seed's busiest ward procedure.
    procedures={"chung_thuc_ban_sao": 0.92, "dang_ky_khai_sinh": 0.08},
    # The seed's ward line does not add up: 66,305 received, 60,885 resolved in time or
    # pending. The 5,420 others (8.2 %) are taken as half refused after acceptance and half
    # resolved late (assumed); none refused at the desk, which a report may not count as
    # received.
    mix=Mix(refuse_reception=0.0, refuse_appraisal=0.041, refuse_site=0.0, supplement=0.0,
            withdraw=0.0, returns=0.02, late=0.042, apologise=0.7),
    why="received: the seed's; online share, procedure split, refusals and late share: "
        "assumed (see the comments)",
)


@dataclass(frozen=True)
class Scenario:
    first: date
    last: date
    district: LevelPlan
    wards: LevelPlan


HA_DONG_2024 = Scenario(FIRST_DAY, LAST_DAY, DISTRICT_PLAN, WARD_PLAN)


def desks(calendar: WorkingCalendar, scale: float = 1.0,
          scenario: Scenario = HA_DONG_2024) -> tuple[Desk, ...]:
    """The district's desk and one desk per ward, each with its share of its level's volume
    (``scale`` times the seed's)."""
    wards = wards_2024()
    district = Desk(DISTRICT, DISTRICT_UNTIL_THE_REFORM,
                    _arrivals(calendar, scenario.district, DISTRICT_UNTIL_THE_REFORM,
                              scale, 1))
    ward = _arrivals(calendar, scenario.wards, COMMUNE_BEFORE_THE_REFORM, scale, len(wards))
    return (district, *(Desk(w.agency, COMMUNE_BEFORE_THE_REFORM, ward) for w in wards))


def _arrivals(calendar: WorkingCalendar, plan: LevelPlan, procedures: tuple[str, ...],
              scale: float, desks: int) -> Arrivals:
    window = [CALIBRATED_FROM + timedelta(days=n)
              for n in range((CALIBRATED_TO - CALIBRATED_FROM).days + 1)]
    # The desk's arrivals follow the weekday load, so a working day counts by its load.
    working = sum(desk_load(d) for d in window if calendar.is_working_day(d))
    online = plan.received * plan.online_share * scale / desks
    offline = plan.received * (1 - plan.online_share) * scale / desks
    return Arrivals(online_per_day=online / len(window), desk_per_working_day=offline / working,
                    shares=tuple(plan.procedures[p] for p in procedures), mix=plan.mix)


def desk_load(day: date) -> float:
    """How busy the desk is on ``day`` against an average working day (a make-up Saturday
    counts as a Friday)."""
    return WEEKDAY_LOAD[min(day.weekday(), 4)]


def make_ha_dong_2024(office: Office, files: dict[str, bytes], scale: float = 1.0,
                      first: date = FIRST_DAY, last: date = LAST_DAY, seed: int = 2024,
                      progress: Callable[[int, int], None] | None = None) -> HistorySummary:
    """On a new database: the organisation of 2024, the law of that time (``files``: the
    shipped procedures) deployed on ``first``, and ``first``..``last`` simulated at ``scale``
    times the seed's volumes."""
    if last < first:
        raise InvalidInput(msg("err_history_ends_before_starts", last=last, first=first))
    if not 0 < scale <= 10:
        raise InvalidInput(msg("err_scale_must_above_0_most", scale=scale))
    refuse_deployed(office)
    seed_wards_2024(office)
    before = procedures_before_the_reform(files)

    def opening(o: Office) -> None:
        deploy.deploy(o, before, DEPLOYER)

    era = Era(first, last, desks(office.calendar, scale), opening)
    return simulate(office, [era], seed, progress=progress)
