"""A province and its wards in one deployment: receiving anywhere, the resolving unit's
queues, scoping by unit, and the refusals that write nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest

from engine.errors import InvalidInput, NotAllowed
from engine.model import User
from engine.service import auditing, dossiers
from engine.service.demo import CITY, FIRST_WARD
from engine.service.office import Office
from engine.service.queries import dossier_detail, dossier_page, task_page, timeline
from tests.features.api_steps import ApiOffice
from tests.helpers import accept_at_desk, all_items, do_step, the_item

DUONG_NOI = "000.00.82.H26"
FORMER_PHU_LA = "000.08.20.H26"  # a ward of former Hà Đông, ended 30 June 2025
COPY = {"pages": 5, "copies": 1, "ten_giay_to": "Bằng tốt nghiệp THPT"}
APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001090012345"}


def _people(office: Office, *names: str) -> dict[str, User]:
    with office.db.unit_of_work(readonly=True) as uow:
        found = {n: uow.org.user(n) for n in names}
    assert all(found.values())
    return {n: u for n, u in found.items() if u is not None}


def _submit(office: Office, actor: User | None, **where: Any) -> dossiers.Receipt:
    channel = "direct" if actor is not None else "online"
    return dossiers.submit(office, "chung_thuc_ban_sao", APPLICANT, channel, COPY, actor,
                           **where)


def _count(office: Office) -> int:
    with office.db.unit_of_work(readonly=True) as uow:
        return uow.dossiers.search(limit=1)[1]


def test_each_ward_numbers_its_own_dossiers_and_works_them_in_its_own_queues(
        office: Office) -> None:
    p = _people(office, "reception", "reception.duongnoi", "justice", "justice.duongnoi")
    here = _submit(office, p["reception"])
    there = _submit(office, p["reception.duongnoi"])
    assert here.code == f"{FIRST_WARD}-260303-0001"
    assert there.code == f"{DUONG_NOI}-260303-0001"  # numbered per receiving unit and day
    do_step(office, there.dossier_id, p["reception.duongnoi"], {"ket_qua_kiem_tra": "hop_le"})
    step = the_item(office, there.dossier_id)
    assert (step.unit, step.department_code) == (DUONG_NOI, "TU_PHAP")
    mine = task_page(office, p["justice.duongnoi"])
    assert [t.dossier_code for t in mine.items] == [there.code]
    assert there.code not in [t.dossier_code for t in task_page(office, p["justice"]).items]
    with pytest.raises(NotAllowed):  # the first ward's justice officer may not take it
        do_step(office, there.dossier_id, p["justice"], {"ket_qua_xu_ly": "dat"})


def test_the_city_desk_receives_for_a_ward_which_resolves_it(office: Office) -> None:
    p = _people(office, "reception.city", "reception", "justice", "justice.city")
    receipt = _submit(office, p["reception.city"], resolving_unit=FIRST_WARD)
    assert receipt.code.startswith(f"{CITY}-")  # the receiving desk's code
    with office.db.unit_of_work(readonly=True) as uow:
        row = uow.dossiers.get(receipt.dossier_id)
    assert row is not None
    assert (row.receiving_unit, row.resolving_unit) == (CITY, FIRST_WARD)
    # The desk's first step at the city desk, then the ward's justice office.
    do_step(office, receipt.dossier_id, p["reception.city"], {"ket_qua_kiem_tra": "hop_le"})
    step = the_item(office, receipt.dossier_id)
    assert (step.unit, step.department_code) == (FIRST_WARD, "TU_PHAP")
    assert receipt.code in [t.dossier_code for t in task_page(office, p["justice"]).items]
    assert receipt.code not in [t.dossier_code
                                for t in task_page(office, p["justice.city"]).items]
    do_step(office, receipt.dossier_id, p["justice"], {"ket_qua_xu_ly": "dat"})
    returned = [i for i in all_items(office, receipt.dossier_id) if i.department_code ==
                "MOT_CUA"]
    assert {i.unit for i in returned} == {CITY}  # the receiving desk returns the result
    header = timeline(office, p["justice"], receipt.code).header
    assert (header.receiving_unit_name, header.resolving_unit_name) == (
        "Thành phố Hà Nội", "Phường Hà Đông")


@pytest.mark.parametrize(("who", "where", "says"), [
    ("reception.city", {}, "name the resolving_unit"),
    ("reception", {"resolving_unit": "000.99.99.H26"}, "is not an administrative unit"),
    ("reception", {"resolving_unit": FORMER_PHU_LA}, "did not exist on 03/03/2026"),
    ("reception", {"resolving_unit": CITY}, "is a province unit"),
    ("reception", {"receiving_unit": DUONG_NOI}, None),  # not their desk: NotAllowed
])
def test_a_route_that_cannot_be_taken_is_refused_and_writes_nothing(
        office: Office, who: str, where: dict[str, str], says: str | None) -> None:
    actor = _people(office, who)[who]
    before = _count(office)
    expected = InvalidInput if says else NotAllowed
    with pytest.raises(expected) as refused:
        _submit(office, actor, **where)
    if says:
        assert says in str(refused.value)
    assert _count(office) == before


def test_a_procedure_switched_off_in_a_ward_is_refused_there_only(office: Office) -> None:
    p = _people(office, "reception", "reception.duongnoi")
    with office.db.unit_of_work() as uow:
        uow.org.switch_off(DUONG_NOI, "chung_thuc_ban_sao", office.now(), "admin",
                           "Chuyển về phường Hà Đông")
        uow.commit()
    before = _count(office)
    with pytest.raises(InvalidInput, match=r"switched off .* Chuyển về phường Hà Đông"):
        _submit(office, p["reception.duongnoi"])
    with pytest.raises(InvalidInput, match="switched off"):  # nor resolved there
        _submit(office, p["reception"], resolving_unit=DUONG_NOI)
    assert _count(office) == before
    assert _submit(office, p["reception"]).code.startswith(FIRST_WARD)


def test_auditors_read_their_unit_and_the_inspector_reads_every_ward(office: Office) -> None:
    p = _people(office, "reception", "auditor", "auditor.duongnoi", "inspector",
                "leader.duongnoi")
    code = _submit(office, p["reception"]).code
    assert dossier_detail(office, p["auditor"], code).code == code
    assert dossier_detail(office, p["inspector"], code).code == code
    with pytest.raises(NotAllowed):
        dossier_detail(office, p["auditor.duongnoi"], code)
    assert code not in [d.code for d in dossier_page(office, p["leader.duongnoi"]).items]
    assert code in [d.code for d in dossier_page(office, p["inspector"]).items]


def test_reports_and_exports_count_the_readers_units(office: Office) -> None:
    p = _people(office, "reception", "reception.duongnoi", "auditor", "auditor.duongnoi",
                "inspector", "leader.duongnoi")
    filed_here = _submit(office, p["reception"])
    filed_there = _submit(office, p["reception.duongnoi"])
    # Accepted at each ward's desk: form 06 counts a dossier from then on.
    accept_at_desk(office, filed_here.dossier_id, p["reception"])
    accept_at_desk(office, filed_there.dossier_id, p["reception.duongnoi"])
    here, there = filed_here.code, filed_there.code
    day = office.now().date()

    def received(user: User) -> int:
        report = auditing.statistics_report(office, user, day, day)
        return report.total.new_offline

    assert received(p["auditor"]) == 1
    assert received(p["auditor.duongnoi"]) == 1
    assert received(p["leader.duongnoi"]) == 1
    assert received(p["inspector"]) == 2

    def exported(user: User) -> str:
        out = io.BytesIO()
        auditing.export_events(office, user, "csv", out, day, day)
        return out.getvalue().decode()

    assert there in exported(p["auditor.duongnoi"])
    assert here not in exported(p["auditor.duongnoi"])
    assert here in exported(p["inspector"]) and there in exported(p["inspector"])


def test_the_api_receives_for_another_unit_and_refuses_with_problem_json(
        api: ApiOffice) -> None:
    body = {"procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "channel": "direct",
            "data": COPY}
    city = api.client("reception.city")
    sent = city.post("/dossiers", json={**body, "resolving_unit": DUONG_NOI})
    assert sent.status_code == 201, sent.text
    assert sent.json()["code"].startswith(f"{CITY}-")
    assert api.client("auditor.duongnoi").get(f"/dossiers/{sent.json()['code']}"
                                              ).status_code == 200
    for where, says in [({}, "hãy chỉ resolving_unit"),
                        ({"resolving_unit": FORMER_PHU_LA}, "không tồn tại vào ngày"),
                        ({"resolving_unit": "not a code"}, None)]:
        refused = city.post("/dossiers", json={**body, **where})
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        if says:
            assert says in refused.json()["detail"]
    online = api.client().post("/dossiers", json={**body, "channel": "online",
                                                  "resolving_unit": DUONG_NOI})
    assert online.status_code == 201
    assert online.json()["code"].startswith(f"{DUONG_NOI}-")  # filed with the competent ward
