"""The read use cases build each page in one read transaction, and the step use cases answer
with the step's view without a second one (counted on the real database: a transaction is a
connection checked out of the pool)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from engine.errors import NotAllowed
from engine.model import User
from engine.service import dossiers, work
from engine.service.office import Office
from engine.service.views import pages
from tests.helpers import the_item

COPY = {"pages": 5, "copies": 1, "ten_giay_to": "Bằng tốt nghiệp THPT"}
APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001090012345"}


class Transactions:
    count = 0

    def __call__(self, *_args: object) -> None:
        self.count += 1


@contextmanager
def transactions(office: Office) -> Iterator[Transactions]:
    counter = Transactions()
    event.listen(office.db.engine.pool, "checkout", counter)
    try:
        yield counter
    finally:
        event.remove(office.db.engine.pool, "checkout", counter)


def _at_justice(office: Office, users: dict[str, User]) -> tuple[str, int]:
    receipt = dossiers.submit(office, "chung_thuc_ban_sao", APPLICANT, "direct", COPY,
                              users["reception"])
    first = the_item(office, receipt.dossier_id)
    work.claim(office, first.id, users["reception"])
    work.complete(office, first.id, users["reception"], {"ket_qua_kiem_tra": "hop_le"})
    return receipt.code, the_item(office, receipt.dossier_id).id


def test_the_dossier_page_is_read_in_one_transaction(
        office: Office, users: dict[str, User]) -> None:
    code, _item = _at_justice(office, users)
    with transactions(office) as counted, office.db.statement_counter() as statements:
        view = pages.dossier_page_view(office, users["leader"], code)
    assert counted.count == 1
    # Was 7 transactions reading the dossier row 6 times; the 9th reads the full names, the
    # 10th the messages to the applicant.
    assert statements.statements <= 10
    assert view.detail.code == code
    assert [r.status for r in view.sheet.rows] == ["completed", "open"]
    assert view.diagram.done_steps and view.diagram.current_steps
    assert view.can_apologise and view.can_reprint and not view.has_supplement
    assert view.apology_count == 0


def test_the_step_page_is_read_in_one_transaction(
        office: Office, users: dict[str, User]) -> None:
    _code, item = _at_justice(office, users)
    with transactions(office) as counted:
        view = pages.step_page_view(office, users["leader"], item)
    assert counted.count == 1
    assert view.can_claim and not view.can_release
    assert "justice" in {m.username for m in view.members}


def test_claim_and_complete_answer_with_the_steps_view_from_their_own_transaction(
        office: Office, users: dict[str, User]) -> None:
    code, item = _at_justice(office, users)
    with transactions(office) as counted:
        claimed = work.claim(office, item, users["justice"])
    assert counted.count == 1
    assert (claimed.dossier_code, claimed.status, claimed.claimed_by) == \
        (code, "claimed", "justice")
    assert claimed.procedure_name == "Chứng thực bản sao từ bản chính"
    with transactions(office) as counted:
        done = work.complete(office, item, users["justice"],
                             {"ket_qua_xu_ly": "dat", "so_chung_thuc": "123/2026"})
    assert counted.count == 1
    assert (done.dossier_code, done.status, done.completed_by) == (code, "completed", "justice")
    assert done.deadline_status in ("early", "on_time", "late")


def test_a_staff_member_outside_the_dossiers_departments_may_not_read_its_page(
        office: Office, users: dict[str, User]) -> None:
    code, _item = _at_justice(office, users)
    with pytest.raises(NotAllowed):
        pages.dossier_page_view(office, users["finance"], code)
    assert pages.dossier_page_view(office, users["justice"], code).detail.code == code
