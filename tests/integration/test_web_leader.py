"""The leader's dashboard over HTTP (the API and the page), "my work" with the steps waiting
for the leader's signature, and the names people read: full names instead of logins and
department names instead of codes on the queues, the dossier page and its control sheet."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.features.api_steps import ApiOffice, web_session

HA_DONG_DESK = "Trung tâm Phục vụ hành chính công phường Hà Đông"
HA_DONG_LEADERS = "Lãnh đạo UBND phường Hà Đông"
JUSTICE = "Văn phòng HĐND và UBND phường Hà Đông (tư pháp – hộ tịch)"
CODES = ("MOT_CUA", "TU_PHAP", "LANH_DAO", "TC_KH")


@contextmanager
def _signed_in(api: ApiOffice, username: str) -> Iterator[httpx.Client]:
    web = web_session(api, username)
    try:
        yield web
    finally:
        web.close()


def _text(answer: httpx.Response) -> str:
    """What a reader sees: the page without its tags and attributes."""
    assert answer.status_code == 200, answer.text[:500]
    body = re.sub(r"<script\b.*?</script>", " ", answer.text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _at_the_leader(api: ApiOffice) -> tuple[str, int]:
    """A copy certification checked at the desk and compared at the justice office: its
    signing step waits for the ward's leader."""
    code = api.submit()["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    api.do_step(code, {"ket_qua_xu_ly": "dat", "so_chung_thuc": "12/2026"})
    return code, api.current(code)["id"]


def test_the_api_dashboard_counts_the_leader_s_ward_only(api: ApiOffice) -> None:
    code, step = _at_the_leader(api)
    mine = api.client("leader").get("/dashboard").json()
    assert [u[1] for u in mine["units"]] == ["Phường Hà Đông"]
    assert mine["today_figures"]["received"] >= 1
    waiting = {t["dossier_code"]: t for t in mine["awaiting_signature"]}
    assert waiting[code]["id"] == step
    assert waiting[code]["department_name"] == HA_DONG_LEADERS
    assert waiting[code]["handed_over_by_name"] == "Trần Văn Minh"
    assert mine["at_risk_days"] == 1
    other = api.client("leader.duongnoi").get("/dashboard").json()
    assert code not in {t["dossier_code"] for t in other["awaiting_signature"]}
    assert all("Hà Đông" not in d["department_name"] for d in other["departments"])
    assert api.client("justice").get("/dashboard").status_code == 403


def test_my_work_lists_what_waits_for_my_signature(api: ApiOffice) -> None:
    code, _step = _at_the_leader(api)
    answer = api.client("leader").get("/tasks", params={"scope": "mine"}).json()
    assert code in {t["dossier_code"] for t in answer["awaiting_signature"]}
    with _signed_in(api, "leader") as web:
        page = _text(web.get("/viec-cua-toi"))
    assert "Chờ bạn ký duyệt" in page
    assert code in page and HA_DONG_LEADERS in page
    with _signed_in(api, "justice") as web:
        assert "Chờ bạn ký duyệt" not in _text(web.get("/viec-cua-toi"))


def test_the_dashboard_page_shows_names_and_figures_as_vietnamese_write_them(
        api: ApiOffice) -> None:
    code, _step = _at_the_leader(api)
    with _signed_in(api, "leader") as web:
        answer = web.get("/lanh-dao")
        page = _text(answer)
        web.cookies.set("motcua_lang", "en")
        english = _text(web.get("/lanh-dao"))
    assert "Chờ lãnh đạo ký duyệt" in page and code in page
    assert HA_DONG_LEADERS in page and "Phường Hà Đông" in page
    assert 'id="chart-departments"' in answer.text
    assert not any(c in page for c in CODES), [c for c in CODES if c in page]
    assert "Tỷ lệ đúng hạn" in page
    assert "Waiting for your signature" in english and "Load by department" in english


def test_the_dossier_page_reads_full_names_and_department_names(api: ApiOffice) -> None:
    code, _step = _at_the_leader(api)
    with _signed_in(api, "leader") as web:
        page = _text(web.get(f"/ho-so/{code}"))
        queue = _text(web.get("/ho-so-phong"))
    # The desk's clerk and the justice officer by name, on the timeline and the sheet.
    assert "Nguyễn Thị Lan" in page and "Trần Văn Minh" in page
    assert HA_DONG_DESK in page and JUSTICE in page and HA_DONG_LEADERS in page
    assert not any(c in page for c in CODES), [c for c in CODES if c in page]
    assert not re.search(r"\breception\b|\bjustice\b", page)
    assert HA_DONG_LEADERS in queue and not any(c in queue for c in CODES)


def test_a_ward_s_report_by_department_names_the_ward_s_departments(api: ApiOffice) -> None:
    _at_the_leader(api)
    answer = api.client("leader").get("/reports/statistics", params={
        "from": "2026-03-01", "to": "2026-03-31", "group_by": "department"})
    assert answer.status_code == 200, answer.text
    labels = [row["label"] for row in answer.json()["rows"]]
    assert HA_DONG_DESK in labels and JUSTICE in labels and HA_DONG_LEADERS in labels
    assert not [label for label in labels if "Hà Đông" not in label]
