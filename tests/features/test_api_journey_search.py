"""Steps of finding dossiers by name, ID number and phone over HTTP (api_search.feature)."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, scenarios, then, when

from tests.features.api_steps import *  # noqa: F403
from tests.features.api_steps import ApiOffice, Journey

pytestmark = pytest.mark.usefixtures("api")

scenarios("api_search.feature")

COPY = {"ten_giay_to": "Giấy khai sinh", "pages": 2, "copies": 1}


def _found(api: ApiOffice, user: str, q: str, path: str = "/dossiers") -> list[str]:
    answer = api.client(user).get(path, params={"q": q, "limit": 200})
    assert answer.status_code == 200, answer.text
    key = "code" if path == "/dossiers" else "dossier_code"
    return sorted(d[key] for d in answer.json()["items"])


@when(parsers.parse("{name} files a dossier with ID number {id_number} and phone {phone}"))
def files(api: ApiOffice, journey: Journey, name: str, id_number: str, phone: str) -> None:
    receipt = api.submit(data=COPY, applicant={"name": name, "id_number": id_number,
                                               "phone": phone})
    journey.codes[name] = receipt["code"]


@then(parsers.parse('{user} finds the dossier of {name} by typing "{q}"'))
def finds_one(api: ApiOffice, journey: Journey, user: str, name: str, q: str) -> None:
    assert _found(api, user, q) == [journey.codes[name]]


@then(parsers.parse('{user} finds the dossiers of {first} and {second} by typing "{q}"'))
def finds_two(api: ApiOffice, journey: Journey, user: str, first: str, second: str,
              q: str) -> None:
    assert _found(api, user, q) == sorted([journey.codes[first], journey.codes[second]])


@then(parsers.parse('{user} finds nothing by typing "{q}"'))
def finds_nothing(api: ApiOffice, user: str, q: str) -> None:
    assert _found(api, user, q) == []


@when(parsers.parse("{user} claims the step of {name}'s dossier and finds it complete"))
def desk_check(api: ApiOffice, journey: Journey, user: str, name: str) -> None:
    api.do_step(journey.codes[name], {"ket_qua_kiem_tra": "hop_le"}, user)


@then(parsers.parse("{user} finds the step of {name}'s dossier in the queue by typing "
                    '"{q}"'))
def finds_step(api: ApiOffice, journey: Journey, user: str, name: str, q: str) -> None:
    assert _found(api, user, q, "/tasks") == [journey.codes[name]]


@when(parsers.parse('the desk files a dossier for {name} with {what} "{value}"'))
def files_bad(api: ApiOffice, journey: Journey, name: str, what: str, value: str) -> None:
    key = {"phone": "phone", "ID number": "id_number"}[what]
    journey.answer = api.client("reception").post("/dossiers", json={
        "procedure": "chung_thuc_ban_sao", "applicant": {"name": name, key: value},
        "data": COPY})


@then(parsers.parse('the filing is refused because of "{field}": "{words}"'))
def refused(journey: Journey, field: str, words: str) -> None:
    answer = journey.last()
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert words in answer.json()["detail"]
