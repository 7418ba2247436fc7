"""The incident feature over HTTP: a dossier whose timer path fails, the others going on,
the leader's correction."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from engine.service import deploy, timers
from tests.failing_procedures import divide_after_timer
from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import ApiOffice, Journey

pytestmark = pytest.mark.usefixtures("api")

scenarios("incidents.feature")

KEY = "thu_chia_sau_hen_gio"


def _incident(api: ApiOffice, journey: Journey) -> dict[str, Any]:
    code = journey.codes["0"]
    found = [i for i in api.client("leader").get("/incidents", params={"status": "all"}).json()
             if i["dossier_code"] == code]
    assert len(found) == 1, found
    return found[0]


@given("a procedure that works out the fee per copy an hour after receipt is deployed")
def deployed(api: ApiOffice) -> None:
    deploy.deploy(api.office, divide_after_timer(), "designer")


@given(parsers.parse("the desk has received a dossier of it with {bad:d} copies and another "
                     "with {good:d} copies"))
def received(api: ApiOffice, journey: Journey, bad: int, good: int) -> None:
    for copies in (bad, good):
        journey.codes[str(copies)] = api.submit(KEY, {"copies": copies})["code"]


@when("the timer worker runs")
@when("the timer worker runs again within the minute")
def worker_runs(api: ApiOffice) -> None:
    timers.run_due_timers(api.office)


@then(parsers.parse('the dossier with {copies} copies waits at "{step}"'))
def waits_at(api: ApiOffice, journey: Journey, copies: str, step: str) -> None:
    assert api.current(journey.codes[copies])["step_name"] == step


@then(parsers.parse('the dossier with 0 copies has an open incident at "{step}" saying '
                    '"{error}"'))
def has_incident(api: ApiOffice, journey: Journey, step: str, error: str) -> None:
    incident = _incident(api, journey)
    assert (incident["status"], incident["step_name"]) == ("open", step)
    assert error in incident["error"]


@then(parsers.re(r"the health check counts (?P<count>\d+) open incidents?"))
def health_counts(api: ApiOffice, count: str) -> None:
    assert api.client().get("/healthz").json()["incidents"] == int(count)


@then(parsers.parse("the incident has been tried {tries:d} time"))
def tried(api: ApiOffice, journey: Journey, tries: int) -> None:
    assert _incident(api, journey)["tries"] == tries


@when(parsers.parse('the leader corrects the copies to {copies:d}: "{reason}"'))
def corrects(api: ApiOffice, journey: Journey, copies: int, reason: str) -> None:
    answer = api.client("leader").post(f"/incidents/{_incident(api, journey)['id']}/correction",
                                       json={"data": {"copies": copies}, "reason": reason})
    assert answer.status_code == 200, answer.text


@then("the incident is resolved by the leader")
def resolved(api: ApiOffice, journey: Journey) -> None:
    incident = _incident(api, journey)
    assert (incident["status"], incident["resolved_by"]) == ("resolved", "leader")


@then(parsers.parse('its audit trail ends with "{kinds}"'))
def trail_ends(api: ApiOffice, journey: Journey, kinds: str) -> None:
    expected = [k.strip() for k in kinds.split(",")]
    code = journey.codes["0"]
    with api.office.db.unit_of_work(readonly=True) as uow:
        dossier = uow.dossiers.by_code(code)
        assert dossier is not None
        found = [e.kind for e in uow.audit.for_dossier(dossier.id)]
    assert found[-len(expected):] == expected


@then("the audit log is intact")
def log_intact(api: ApiOffice) -> None:
    verified = api.client("auditor").get("/audit/verify").json()
    assert verified["intact"] is True, verified
