"""The desk's numbers feature, through the web pages as a browser without JavaScript."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import ApiOffice, Journey, csrf_of, web_session

pytestmark = pytest.mark.usefixtures("api")
scenarios("desk_numbers.feature")

FORM = "/tiep-nhan/cap_phep_xay_dung"


def _received(api: ApiOffice) -> int:
    total: int = api.client("auditor").get("/dossiers", params={"limit": 1}).json()["total"]
    return total


@given("the desk has opened the construction permit application form")
def open_form(api: ApiOffice, journey: Journey) -> None:
    desk = web_session(api, "reception")
    page = desk.get(FORM)
    assert page.status_code == 200
    journey.notes.update(desk=desk, csrf=csrf_of(page.text), before=_received(api))


@when(parsers.parse('the clerk types "{area}" as the building area and "{floors}" as the '
                    'floor area and receives the dossier'))
def type_and_receive(journey: Journey, area: str, floors: str) -> None:
    journey.answer = journey.notes["desk"].post(FORM, data={
        "csrf": journey.notes["csrf"], "applicant_name": "Phạm Thị Hằng", "channel": "direct",
        "f_chu_dau_tu": "Phạm Thị Hằng", "f_dia_chi_cong_trinh": "Tổ 3, phường Yết Kiêu",
        "f_so_tang": "4", "f_dien_tich_xay_dung": area, "f_tong_dien_tich_san": floors})


@then(parsers.parse("the dossier holds a building area of {area:g} and a floor area of "
                    "{floors:g}"))
def stored(api: ApiOffice, journey: Journey, area: float, floors: float) -> None:
    assert journey.answer is not None and journey.answer.status_code == 303
    code = journey.answer.headers["location"].split("/")[2]
    journey.codes["permit"] = code
    data = api.client("auditor").get(f"/dossiers/{code}").json()["data"]
    assert (data["dien_tich_xay_dung"], data["tong_dien_tich_san"]) == (area, floors)


@then(parsers.parse('the dossier page shows the building area as "{area}" and the floor '
                    'area as "{floors}"'))
def shown(journey: Journey, area: str, floors: str) -> None:
    page = journey.notes["desk"].get(f"/ho-so/{journey.codes['permit']}")
    assert f"<dd>{area}</dd>" in page.text and f"<dd>{floors}</dd>" in page.text
    journey.notes["desk"].close()


@then(parsers.parse('the form asks "{question}" next to the building area'))
def asked(journey: Journey, question: str) -> None:
    assert journey.answer is not None and journey.answer.status_code == 422
    text = journey.answer.text
    start = text.index('id="field-dien_tich_xay_dung-error"')
    assert question in text[start:start + 400]


@then("no dossier was received")
def nothing(api: ApiOffice, journey: Journey) -> None:
    assert _received(api) == journey.notes["before"]
    journey.notes["desk"].close()
