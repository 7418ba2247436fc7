"""The rating's questions are the survey's (engine/reports/survey.toml): published with their
source, rendered on the rating page, checked on the way in, stored by code, and summed up by
the satisfaction sheet under the same codes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from lxml import html as lxml_html

from engine.i18n import translate
from engine.reports.survey import survey
from tests.features.api_steps import ApiOffice, csrf_of, local

EXTRA = {"access": 4, "procedure": True, "feedback": False}


def _finished(api: ApiOffice) -> dict[str, Any]:
    receipt = api.submit()
    api.certify(receipt["code"])
    return receipt


def _rate(api: ApiOffice, code: str, **body: Any) -> httpx.Response:
    return api.client().post(f"/public/dossiers/{code}/rating", json=body)


def test_every_question_has_its_words_in_both_languages() -> None:
    questions = survey().questions
    assert [q.code for q in questions] == [
        "satisfaction", "access", "procedure", "visits", "staff_attitude", "on_time",
        "feedback"]
    assert {q.factor for q in questions} == {0, 1, 2, 3, 4, 5}
    for q in questions:
        assert translate("vi", f"survey_{q.code}") == q.text
        assert translate("en", f"survey_{q.code}") not in (q.text, f"survey_{q.code}")


def test_the_survey_is_published_with_its_source_marked_unconfirmed(api: ApiOffice) -> None:
    answer = httpx.get(f"{api.url}/api/v1/public/survey")
    assert answer.status_code == 200
    body = answer.json()
    assert "2640/QĐ-BNV" in body["source"] and body["confirmed"] is False
    assert body["questions"][0] == {
        "code": "satisfaction", "factor": 0, "scale": "satisfaction5", "required": True,
        "text": "Ông/bà hài lòng thế nào với việc giải quyết hồ sơ này?"}


def test_the_answers_are_kept_by_code_and_summed_up_in_the_sheet(api: ApiOffice) -> None:
    api.at(local(2026, 8, 18, 9, 0))  # month 9 of the reports: 15/08 to 14/09 (only here)
    first, second = _finished(api), _finished(api)
    rated = _rate(api, first["code"], secret=first["secret"], satisfaction=5, on_time=True,
                  answers=EXTRA)
    assert rated.status_code == 201, rated.text
    assert rated.json()["answers"] == EXTRA
    assert _rate(api, second["code"], secret=second["secret"], satisfaction=3,
                 answers={"access": 2, "procedure": True}).status_code == 201
    sheet = api.client("auditor").get("/reports/satisfaction", params={"period": "2026-M9"})
    assert sheet.status_code == 200, sheet.text
    totals = sheet.json()["totals"]
    assert totals["rated"] == 2
    assert totals["access_share"] == 0.5  # one of two answered 4 or 5
    assert totals["procedure_share"] == 1.0
    assert totals["feedback_share"] == 0.0  # one answered, no
    headers = [c["header"] for c in sheet.json()["columns"]]
    assert "Góp ý được trả lời" in headers


@pytest.mark.parametrize(("answers", "field"), [
    ({"access": 6}, "answers.access"), ({"access": True}, "answers.access"),
    ({"procedure": 1}, "answers.procedure"), ({"stars": 5}, "answers.stars"),
])
def test_an_answer_off_its_scale_is_422_naming_the_question(api: ApiOffice,
                                                           answers: dict[str, Any],
                                                           field: str) -> None:
    api.at(local(2026, 11, 2, 9, 0))
    receipt = _finished(api)
    answer = _rate(api, receipt["code"], secret=receipt["secret"], satisfaction=4,
                   answers=answers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    # Nothing was stored: the right answers are still taken.
    assert _rate(api, receipt["code"], secret=receipt["secret"],
                 satisfaction=4).status_code == 201


def test_the_rating_page_asks_the_survey_and_stores_the_answers(api: ApiOffice) -> None:
    api.at(local(2026, 9, 21, 9, 0))  # month 10 of the reports (only here)
    receipt = _finished(api)
    web = httpx.Client(base_url=api.url)
    page = web.get(f"/tra-cuu/{receipt['code']}")
    asked = lxml_html.fromstring(page.text).xpath("//fieldset/@data-question")
    assert asked == ["satisfaction", "access", "procedure", "staff_attitude", "on_time",
                     "feedback"]
    assert "Giấy tờ phải nộp, phí, lệ phí và thời hạn có đúng như đã được công khai không?" \
        in page.text
    sent = web.post(f"/tra-cuu/{receipt['code']}/danh-gia", data={
        "csrf": csrf_of(page.text), "satisfaction": "4", "access": "5", "procedure": "no",
        "visits": "2", "secret": receipt["secret"]})
    assert sent.status_code == 200 and "alert ok" in sent.text, sent.text
    sheet = api.client("auditor").get("/reports/satisfaction", params={"period": "2026-M10"})
    totals = sheet.json()["totals"]
    assert totals["rated"] == 1 and totals["access_share"] == 1.0
    assert totals["procedure_share"] == 0.0 and totals["mean_visits"] == 2.0
