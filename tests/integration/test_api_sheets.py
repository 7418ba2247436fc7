"""The companion sheets of form 06 over HTTP: the late dossiers and the ratings of a period,
for the units the caller reads, as JSON or a download."""

from __future__ import annotations

from datetime import timedelta

from engine.service.demo import FIRST_WARD
from tests.features.api_steps import START, ApiOffice

SECOND_WARD = "000.00.82.H26"


def test_the_late_dossiers_of_a_ward_for_its_auditor_only(api: ApiOffice) -> None:
    api.at(START)
    late = api.submit()["code"]  # a same-day copy certification, still open a week later
    api.do_step(late, {"ket_qua_kiem_tra": "hop_le"})  # accepted at the desk: received
    api.at(START + timedelta(days=7))
    auditor = api.client("auditor")
    answer = auditor.get("/reports/lateness", params={"period": "2026-Q1",
                                                      "unit": FIRST_WARD})
    assert answer.status_code == 200, answer.text
    sheet = answer.json()
    assert sheet["title"] == "Danh sách hồ sơ quá hạn"
    assert late in [row["code"] for row in sheet["rows"]]
    assert auditor.get("/reports/lateness", params={
        "period": "2026-Q1", "unit": SECOND_WARD}).status_code == 403
    download = auditor.get("/reports/lateness", params={"period": "2026-Q1", "format": "csv"})
    assert download.status_code == 200 and late in download.content.decode("utf-8-sig")
    ratings = auditor.get("/reports/satisfaction", params={"period": "2026-Q1"})
    assert ratings.status_code == 200 and ratings.json()["title"] == \
        "Kết quả đánh giá mức độ hài lòng"
    assert auditor.get("/reports/satisfaction", params={"period": "2026-Q9"}).json()[
        "field"] == "period"
