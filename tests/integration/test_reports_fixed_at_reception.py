"""A report of a past period never changes when a procedure is redeployed: each dossier is
counted with the level, field and code it was received with (the 2025 reform moved household
business registration from district to commune level)."""

from __future__ import annotations

import io
from datetime import date

from lxml import etree

from engine.model import User
from engine.reports.statistics import Report
from engine.runtime.clock import ManualClock
from engine.service import deploy
from engine.service.office import Office
from engine.service.reporting import export_xes, statistics, step_report
from tests.conftest import PROCESSES, definition_files, local
from tests.helpers import accept_at_desk, deploy_as_before_the_reform
from tests.integration.test_reports_statistics import (
    BUSINESS,
    COPY,
    finish_business,
    finish_copy,
    submit,
)

HKD = "dang_ky_ho_kinh_doanh"
# Quarter II of 2026 as Decree 09/2019 cuts it, and the year that holds it.
Q2 = (date(2026, 3, 15), date(2026, 6, 14))
Q3 = (date(2026, 6, 15), date(2026, 9, 14))
YEAR = (date(2025, 12, 15), date(2026, 12, 14))
RENAMED = "Đăng ký hộ kinh doanh (cấp xã)"
XES = "{http://www.xes-standard.org/}"


def _redeploy_at_commune_level(office: Office, name: str | None = None) -> None:
    """Household business registration deployed again as the law stands since the reform,
    at commune level (and ``name``d so), after the pre-reform district version."""
    files = definition_files(PROCESSES)
    bpmn = files[f"{HKD}.bpmn"].decode()
    assert '<spiffworkflow:property name="level" value="commune"/>' in bpmn
    if name is not None:
        bpmn = bpmn.replace('name="Đăng ký hộ kinh doanh"', f'name="{name}"', 1)
    files[f"{HKD}.bpmn"] = bpmn.encode()
    deployed = {d.key: d for d in deploy.deploy(office, files, "designer")}
    assert deployed[HKD].version == 3  # shipped, pre-reform, then this one


def _figures(report: Report) -> list[tuple[str | None, str, object]]:
    return [(r.key, r.label, r.counts) for r in report.rows] + [(None, "total", report.total)]


def _received(office: Office, span: tuple[date, date]) -> dict[str | None, int]:
    return {r.key: r.counts.received for r in statistics(office, *span, "level").rows}


def test_redeploying_at_commune_level_leaves_a_past_quarter_as_reported(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    deploy_as_before_the_reform(office)
    clock.set(local(2026, 4, 6, 9, 0))  # Monday in quarter II: business is district level
    for _ in range(3):
        finish_business(office, users, submit(office, users, HKD, BUSINESS))
    finish_copy(office, users, submit(office, users, "chung_thuc_ban_sao", COPY))
    # Still open when the quarter ends.
    accept_at_desk(office, submit(office, users, HKD, BUSINESS, "online"), users["reception"])
    clock.set(local(2026, 6, 16, 9, 0))
    before = {group: statistics(office, *Q2, group) for group in ("level", "field", "procedure")}
    assert _received(office, Q2) == {"commune": 1, "district": 4}

    _redeploy_at_commune_level(office)
    for group, report in before.items():
        assert _figures(statistics(office, *Q2, group)) == _figures(report), group

    clock.set(local(2026, 7, 6, 9, 0))  # after the redeploy, business is commune level
    finish_business(office, users, submit(office, users, HKD, BUSINESS))
    accept_at_desk(office, submit(office, users, HKD, BUSINESS), users["reception"])
    assert _received(office, Q3) == {"commune": 2, "district": 1}  # one carried over
    assert _figures(statistics(office, *Q2, "level")) == _figures(before["level"])
    assert _received(office, YEAR) == {"commune": 3, "district": 4}
    year = statistics(office, *YEAR, "level")
    assert {r.label for r in year.rows} == {"Cấp huyện", "Cấp xã"}
    assert all(r.counts.reconciles() for r in year.rows) and year.total.reconciles()


def test_every_dossier_keeps_what_it_was_received_with(
        office: Office, users: dict[str, User], clock: ManualClock) -> None:
    deploy_as_before_the_reform(office)
    clock.set(local(2026, 4, 6, 9, 0))
    first = submit(office, users, HKD, BUSINESS)
    accept_at_desk(office, first, users["reception"])
    clock.set(local(2026, 4, 7, 9, 0))
    _redeploy_at_commune_level(office, RENAMED)
    second = submit(office, users, HKD, BUSINESS)
    accept_at_desk(office, second, users["reception"])
    with office.db.unit_of_work(readonly=True) as uow:
        old, new = uow.dossiers.get(first), uow.dossiers.get(second)
        procedure = uow.catalog.latest(HKD)
    assert old is not None and new is not None and procedure is not None
    assert procedure.meta["level"] == "commune"
    assert (old.level, new.level) == ("district", "commune")
    assert (old.procedure_name, new.procedure_name) == ("Đăng ký hộ kinh doanh", RENAMED)
    for dossier in (old, new):
        assert (dossier.procedure_code, dossier.field) == (procedure.meta["code"],
                                                           procedure.meta["field"])
        assert dossier.receiving_unit == dossier.resolving_unit == office.agency_code
    assert old.version_id != new.version_id
    by_procedure = statistics(office, date(2026, 4, 1), date(2026, 4, 30), "procedure")
    assert [(r.key, r.counts.received) for r in by_procedure.rows] == [(HKD, 2)]
    # The steps report of a period is named as its dossiers were received.
    clock.set(local(2026, 5, 4, 9, 0))
    assert step_report(office, HKD, date(2026, 4, 1), date(2026, 4, 6)).procedure_name == \
        "Đăng ký hộ kinh doanh"
    assert step_report(office, HKD, date(2026, 4, 1), date(2026, 4, 30)).procedure_name == \
        RENAMED
    # The event log names each dossier's procedure as it was received.
    log = io.BytesIO()
    export_xes(office, log, date(2026, 4, 1), date(2026, 4, 30))
    names = [e.get("value") for e in etree.fromstring(log.getvalue()).iter(f"{XES}string")
             if e.get("key") == "procedure_name"]
    assert names == ["Đăng ký hộ kinh doanh", RENAMED]
