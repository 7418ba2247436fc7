"""The satisfaction sheet on ratings given through the engine: per resolving unit and
procedure, the period's edges, the reader's units, and every writer."""

from __future__ import annotations

from datetime import date

import pytest

from engine.errors import NotAllowed
from engine.runtime.clock import ManualClock
from engine.service import auditing, ratings
from engine.service.demo import FIRST_WARD
from engine.service.dossiers import Receipt
from engine.service.office import Office
from engine.service.reporting import satisfaction_sheet, satisfaction_table
from tests.conftest import local
from tests.integration.sheet_data import (
    BUSINESS,
    COPY,
    DUONG_NOI,
    finish_business,
    finish_copy,
    people,
    submit,
    written,
)

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
COPY_KEY, BUSINESS_KEY = "chung_thuc_ban_sao", "dang_ky_ho_kinh_doanh"


def _rate(office: Office, receipt: Receipt, satisfaction: int, on_time: bool | None = None,
          staff_attitude: int | None = None, visits: int | None = None) -> None:
    ratings.rate(office, receipt.code, receipt.secret,
                 ratings.Rating(receipt.code, satisfaction, on_time, staff_attitude, visits))


@pytest.fixture
def rated(office: Office, clock: ManualClock) -> Office:
    """March ratings: five copies and a business registration in Hà Đông, two copies in Dương
    Nội; one more Hà Đông copy rated in April."""
    here, there = people(office), people(office, "duongnoi")
    # satisfaction, on time, staff attitude, visits
    answers = [(5, True, 5, 1), (5, True, None, 1), (4, False, 4, 3), (2, False, 1, None),
               (1, None, None, None)]
    clock.set(local(2026, 3, 3, 9, 0))
    made = []
    for _ in answers:
        receipt = submit(office, here, COPY_KEY, COPY)
        finish_copy(office, here, receipt.dossier_id)
        made.append(receipt)
    business = submit(office, here, BUSINESS_KEY, BUSINESS)
    finish_business(office, here, business.dossier_id)
    theirs = [submit(office, there, COPY_KEY, COPY) for _ in range(2)]
    for receipt in theirs:
        finish_copy(office, there, receipt.dossier_id)
    late_rater = submit(office, here, COPY_KEY, COPY)
    finish_copy(office, here, late_rater.dossier_id)

    clock.set(local(2026, 3, 4, 10, 0))
    for receipt, answer in zip(made, answers, strict=True):
        _rate(office, receipt, *answer)
    _rate(office, business, 3, on_time=True, visits=2)
    _rate(office, theirs[0], 4, on_time=True, visits=1)
    _rate(office, theirs[1], 3)
    clock.set(local(2026, 4, 1, 0, 0))  # the first moment after March
    _rate(office, late_rater, 5)
    return office


def test_ratings_are_counted_per_unit_and_procedure(rated: Office) -> None:
    report = satisfaction_sheet(rated, *MARCH)
    rows = {(r.unit, r.procedure_key): r for r in report.rows}
    assert list(rows) == [(FIRST_WARD, COPY_KEY), (FIRST_WARD, BUSINESS_KEY),
                          (DUONG_NOI, COPY_KEY)]
    copies = rows[FIRST_WARD, COPY_KEY]
    assert copies.unit_name == "Phường Hà Đông"
    assert copies.procedure_name == "Chứng thực bản sao từ bản chính"
    # The April rating of the sixth copy is outside March.
    assert copies.ratings.satisfaction == (1, 1, 0, 1, 2)
    assert copies.ratings.rated == 5
    assert copies.ratings.satisfied_share == pytest.approx(3 / 5)
    assert (copies.ratings.on_time_yes, copies.ratings.on_time_no) == (2, 2)
    assert copies.ratings.on_time_share == pytest.approx(0.5)
    assert copies.ratings.attitude == (1, 0, 0, 1, 1)
    assert copies.ratings.attitude_satisfied_share == pytest.approx(2 / 3)
    assert copies.ratings.mean_visits == pytest.approx(5 / 3)
    business = rows[FIRST_WARD, BUSINESS_KEY].ratings
    assert (business.satisfaction, business.satisfied_share) == ((0, 0, 1, 0, 0), 0.0)
    theirs = rows[DUONG_NOI, COPY_KEY].ratings
    assert theirs.satisfaction == (0, 0, 1, 1, 0) and theirs.satisfied_share == 0.5
    assert report.total.rated == 8
    assert report.total.satisfaction == (1, 1, 2, 2, 2)
    assert report.total.satisfied_share == pytest.approx(4 / 8)


def test_the_april_rating_counts_in_april(rated: Office) -> None:
    april = satisfaction_sheet(rated, date(2026, 4, 1), date(2026, 4, 30))
    assert [(r.unit, r.procedure_key, r.ratings.satisfaction) for r in april.rows] == [
        (FIRST_WARD, COPY_KEY, (0, 0, 0, 0, 1))]
    # The last day of March ends at midnight local time, the April rating's moment.
    assert satisfaction_sheet(rated, date(2026, 3, 31), date(2026, 3, 31)).rows == []


def test_a_reader_sees_the_units_of_their_scope_only(rated: Office) -> None:
    ward = auditing.satisfaction_report(rated, people(rated)["auditor"], *MARCH)
    assert {r.unit for r in ward.rows} == {FIRST_WARD}
    assert ward.total.rated == 6
    theirs = auditing.satisfaction_report(rated, people(rated, "duongnoi")["leader"], *MARCH)
    assert {r.unit for r in theirs.rows} == {DUONG_NOI} and theirs.total.rated == 2
    with rated.db.unit_of_work(readonly=True) as uow:
        inspector, clerk = uow.org.user("inspector"), uow.org.user("reception")
    assert inspector is not None and clerk is not None
    assert auditing.satisfaction_report(rated, inspector, *MARCH).total.rated == 8
    with pytest.raises(NotAllowed):
        auditing.satisfaction_report(rated, clerk, *MARCH)


def test_the_table_has_the_answers_and_the_share_in_every_format(rated: Office) -> None:
    table = satisfaction_table(satisfaction_sheet(rated, *MARCH))
    assert table.title == "Kết quả đánh giá mức độ hài lòng"
    headers = [c.header for c in table.columns]
    assert headers[:9] == ["Đơn vị", "Thủ tục hành chính", "Rất hài lòng", "Hài lòng",
                           "Bình thường", "Không hài lòng", "Rất không hài lòng",
                           "Tổng số đánh giá", "Tỷ lệ hài lòng (%)"]
    out = written(table)
    header, *lines = out["csv"]
    first = dict(zip(header, lines[0], strict=True))
    assert first["Đơn vị"] == "Phường Hà Đông"
    assert first["Mức độ hài lòng – Rất hài lòng"] == "2"
    assert first["Tỷ lệ hài lòng (%)"] == "60.0"
    assert lines[-1][:2] == ["Tổng cộng", ""] and lines[-1][7:9] == ["8", "50.0"]
    document = out["json"]
    assert document["totals"]["rated"] == 8
    assert document["totals"]["satisfied_share"] == pytest.approx(0.5)
    assert [r["answered_5"] for r in document["rows"]] == [2, 0, 0]
    cells = out["xlsx"]
    assert cells[0][0] == "Kết quả đánh giá mức độ hài lòng"
    totals = next(row for row in cells if row[1] == "Tổng cộng")
    assert totals[8:10] == [8, 0.5]
