"""Steps of the leader's dashboard feature, over the API."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers, then, when

from tests.features.api_steps import ApiOffice, Journey

COPIES = ("first", "second", "third")


def dashboard_of(api: ApiOffice, user: str = "leader") -> dict[str, Any]:
    answer = api.client(user).get("/dashboard")
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


@given("the desk has received three copy certifications")
def three_copies(api: ApiOffice, journey: Journey) -> None:
    for name in COPIES:
        journey.codes[name] = api.submit()["code"]


@when("the first copy is certified and returned")
def first_certified(api: ApiOffice, journey: Journey) -> None:
    api.certify(journey.codes["first"])


@when("the justice officer compares the second copy with its original")
def second_compared(api: ApiOffice, journey: Journey) -> None:
    code = journey.codes["second"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    api.do_step(code, {"ket_qua_xu_ly": "dat", "so_chung_thuc": "3/2026"})


@then(parsers.parse("the leader's dashboard shows {received:d} received today, {on_time:d} "
                    "resolved on time and {pending:d} pending"))
def figures_today(api: ApiOffice, received: int, on_time: int, pending: int) -> None:
    today = dashboard_of(api)["today_figures"]
    assert (today["received"], today["on_time"], today["pending"]) == \
        (received, on_time, pending)
    assert (today["early"], today["late"], today["overdue"]) == (0, 0, 0)


@then(parsers.parse('the second copy waits for the leader\'s signature at "{department}"'))
def waits_for_signature(api: ApiOffice, journey: Journey, department: str) -> None:
    waiting = dashboard_of(api)["awaiting_signature"]
    assert [(t["dossier_code"], t["department_name"]) for t in waiting] == \
        [(journey.codes["second"], department)]


@then(parsers.parse('"{department}" holds {count:d} step, overdue'))
def department_load(api: ApiOffice, department: str, count: int) -> None:
    rows = {d["department_name"]: d for d in dashboard_of(api)["departments"]}
    assert (rows[department]["open"], rows[department]["overdue"]) == (count, count)


@then("the leader of Dương Nội sees none of the three copies")
def other_ward(api: ApiOffice, journey: Journey) -> None:
    other = dashboard_of(api, "leader.duongnoi")
    assert other["today_figures"]["received"] == 0
    assert other["awaiting_signature"] == [] and other["departments"] == []
    assert not {journey.codes[n] for n in COPIES} & {d["code"] for d in other["needing_apology"]}
