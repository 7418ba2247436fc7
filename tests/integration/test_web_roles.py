"""Every web page × every demo user and an anonymous visitor: the status each gets, derived
from the answers of ``engine.service.permissions`` (the ones the use cases enforce and the
API's role matrix checks), so the pages cannot drift from the API.

The routes are enumerated from the app: a new page without an expectation here fails.
Forms that change something are checked for the visitors who may not send them (anonymous:
sign-in; the others: 403) — the ones who may are the features' business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.web import mount
from api.web.pages import WebRoute
from engine.model import User
from engine.service import permissions as may
from tests.features.api_steps import DEMO, ApiOffice, csrf_of, web_session

SIGN_IN = 303
Expect = Callable[[User | None], int]
PERIOD = "date_from=2026-03-01&date_to=2026-03-31"
FILLED = {"reason": "Chờ ý kiến", "day": "2030-01-02", "time": "17:00", "username": "justice"}


def _routes(routes: list[Any]) -> Iterator[WebRoute]:
    for route in routes:
        if hasattr(route, "original_router"):  # a router included as a whole
            yield from _routes(route.original_router.routes)
        elif isinstance(route, WebRoute):
            yield route


def web_routes() -> set[tuple[str, str]]:
    app = FastAPI()
    mount(app)
    return {(method, r.path) for r in _routes(list(app.routes)) for method in r.methods}


def signed_in(allowed: Callable[[User], bool], yes: int = 200) -> Expect:
    return lambda user: SIGN_IN if user is None else (yes if allowed(user) else 403)


def anyone(status: int) -> Expect:
    return lambda _user: status


@cache
def _shared(api: ApiOffice) -> dict[str, Any]:
    """A copy certification waiting at the justice office."""
    code = api.submit()["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    step = api.current(code)
    return {"code": code, "item": step["id"], "department": step["department"],
            "unit": step["unit"]}


@cache
def _shared_file(api: ApiOffice) -> int:
    """A scan the justice office attached to the shared dossier's step."""
    answer = api.client("justice").post(
        f"/dossiers/{_shared(api)['code']}/files", data={"slot": "Task_XuLy"},
        files={"file": ("ban-sao.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")})
    assert answer.status_code == 201, answer.text
    file_id: int = answer.json()["id"]
    return file_id


def _below(api: ApiOffice) -> may.Below:
    with api.office.db.unit_of_work(readonly=True) as uow:
        return api.office.units(uow).below_all


def _users(api: ApiOffice) -> dict[str, User]:
    with api.office.db.unit_of_work(readonly=True) as uow:
        found = {name: uow.org.user(name) for name in DEMO}
    return {name: user for name, user in found.items() if user is not None}


def get_cases(api: ApiOffice) -> dict[str, tuple[str, Expect]]:
    """Route path → (the URL asked, the status each visitor gets)."""
    shared = _shared(api)
    code, item, dept, unit = (shared["code"], shared["item"], shared["department"],
                              shared["unit"])
    desk = api.office.reception_department
    below = _below(api)
    # The dossier was received and is resolved in the first ward, and went through its desk
    # and its justice office.
    units, places = (unit, unit), [(unit, desk), (unit, dept)]
    reader = signed_in(lambda u: may.may_see_dossier(desk, u, units, places, below))
    reader_404 = signed_in(lambda u: may.may_see_dossier(desk, u, units, places, below), 404)
    step_reader = signed_in(lambda u: may.may_read_queues(u) and
                            may.queue_reach(u, below).covers(unit, dept))
    reports = signed_in(may.may_read_reports)
    designer = signed_in(may.may_design)
    return {
        "/": ("/", anyone(303)),
        "/dang-nhap": ("/dang-nhap", anyone(200)),
        "/ngon-ngu/{lang}": ("/ngon-ngu/en", anyone(303)),
        "/tra-cuu": ("/tra-cuu", anyone(200)),
        "/tra-cuu/{code}": (f"/tra-cuu/{code}", anyone(200)),
        "/nop-truc-tuyen": ("/nop-truc-tuyen", anyone(200)),
        "/nop-truc-tuyen/{key}": ("/nop-truc-tuyen/chung_thuc_ban_sao", anyone(200)),
        # The code only: the secret shows once, in the browser that filed it.
        "/nop-truc-tuyen/da-nop/{code}": (f"/nop-truc-tuyen/da-nop/{code}", anyone(200)),
        "/tra-cuu/{code}/bo-sung/da-nhan": (f"/tra-cuu/{code}/bo-sung/da-nhan", anyone(200)),
        "/tra-cuu/quen-ma": ("/tra-cuu/quen-ma", anyone(200)),
        "/viec-cua-toi": ("/viec-cua-toi", signed_in(may.may_read_queues)),
        "/ho-so-phong": ("/ho-so-phong", signed_in(may.may_read_queues)),
        "/buoc/{item_id}": (f"/buoc/{item}", step_reader),
        "/so-do/ho-so/{code}.bpmn": (f"/so-do/ho-so/{code}.bpmn", reader),
        "/tiep-nhan": ("/tiep-nhan", signed_in(lambda u: may.may_receive(desk, u))),
        "/tiep-nhan/{key}": ("/tiep-nhan/chung_thuc_ban_sao",
                             signed_in(lambda u: may.may_receive(desk, u))),
        "/ho-so/{code}/da-tiep-nhan": (f"/ho-so/{code}/da-tiep-nhan", reader),
        "/ho-so": ("/ho-so", signed_in(may.may_read_dossiers)),
        "/ho-so/{code}": (f"/ho-so/{code}", reader),
        "/ho-so/{code}/giay-hen": (f"/ho-so/{code}/giay-hen",
                                   signed_in(lambda u: may.may_reprint_receipt(desk, u, units,
                                                                              below))),
        "/ho-so/{code}/phieu-bo-sung": (f"/ho-so/{code}/phieu-bo-sung", reader_404),
        "/ho-so/{code}/kiem-tra": (f"/ho-so/{code}/kiem-tra", reader),
        "/ho-so/{code}/khong-tiep-nhan": (f"/ho-so/{code}/khong-tiep-nhan", reader_404),
        "/ho-so/{code}/phieu-xin-loi": (f"/ho-so/{code}/phieu-xin-loi", reader_404),
        "/ho-so/{code}/phieu-kiem-soat": (f"/ho-so/{code}/phieu-kiem-soat", reader),
        "/ho-so/{code}/tai-lieu/{file_id}": (f"/ho-so/{code}/tai-lieu/{_shared_file(api)}",
                                             reader),
        "/lanh-dao": ("/lanh-dao", signed_in(may.may_see_late_dossiers)),
        "/ho-so/{code}/xin-loi": (f"/ho-so/{code}/xin-loi", reader),
        "/thong-ke": (f"/thong-ke?{PERIOD}", reports),
        "/thong-ke/bao-cao.{fmt}": (f"/thong-ke/bao-cao.csv?{PERIOD}", reports),
        "/thong-ke/nhat-ky.{fmt}": (f"/thong-ke/nhat-ky.csv?{PERIOD}",
                                    signed_in(may.may_export_events)),
        "/thoi-gian": (f"/thoi-gian?{PERIOD}", reports),
        "/kiem-tra-nhat-ky": ("/kiem-tra-nhat-ky", signed_in(may.may_verify_log)),
        "/thu-tuc": ("/thu-tuc", designer),
        "/so-do/thu-tuc/{key}/{number}.bpmn": (
            "/so-do/thu-tuc/chung_thuc_ban_sao/1.bpmn",
            signed_in(lambda u: may.may(u, "designer", "auditor", "leader"))),
        "/thu-tuc/{key}/{number}/thiet-ke": ("/thu-tuc/chung_thuc_ban_sao/1/thiet-ke",
                                             designer),
        "/thu-tuc/{key}/so-sanh": ("/thu-tuc/chung_thuc_ban_sao/so-sanh?a=1&b=1", designer),
        "/thu-tuc/{key}/chuyen-phien-ban": ("/thu-tuc/chung_thuc_ban_sao/chuyen-phien-ban",
                                            designer),
        "/thiet-ke/moi": ("/thiet-ke/moi", designer),
        "/su-co": ("/su-co", signed_in(may.may_view_incidents)),
        "/su-co/{incident_id}": ("/su-co/999999",
                                 signed_in(may.may_view_incidents, 404)),
        "/quan-tri": ("/quan-tri", signed_in(may.may_administer)),
        "/mat-khau": ("/mat-khau", signed_in(lambda u: u.active)),
        "/tu-choi": ("/tu-choi", anyone(303)),  # nothing refused: back to the start
    }


# POST forms: path → (URL, who may send it). Sign-in, sign-out, rating and the online
# supplement are public.
def post_cases(api: ApiOffice) -> dict[str, tuple[str, Callable[[User], bool] | None]]:
    shared = _shared(api)
    code, item, dept, unit = (shared["code"], shared["item"], shared["department"],
                              shared["unit"])
    desk = api.office.reception_department
    return {
        "/dang-nhap": ("/dang-nhap", None),
        "/dang-xuat": ("/dang-xuat", None),
        "/tra-cuu/{code}/danh-gia": (f"/tra-cuu/{code}/danh-gia", None),
        "/nop-truc-tuyen/{key}/xem-lai": ("/nop-truc-tuyen/chung_thuc_ban_sao/xem-lai", None),
        "/nop-truc-tuyen/{key}/gui": ("/nop-truc-tuyen/chung_thuc_ban_sao/gui", None),
        "/tra-cuu/{code}/bo-sung/xem": (f"/tra-cuu/{code}/bo-sung/xem", None),
        "/tra-cuu/{code}/bo-sung": (f"/tra-cuu/{code}/bo-sung", None),
        "/tra-cuu/quen-ma": ("/tra-cuu/quen-ma", None),
        "/buoc/{item_id}/nhan": (f"/buoc/{item}/nhan", lambda u: may.may_handle(u, unit, dept)),
        "/buoc/{item_id}/tra-lai": (f"/buoc/{item}/tra-lai",
                                    lambda u: may.may_handle(u, unit, dept)),
        "/buoc/{item_id}/giao": (f"/buoc/{item}/giao", lambda u: may.may_lead(u, unit, dept)),
        "/buoc/{item_id}/hoan-thanh": (f"/buoc/{item}/hoan-thanh",
                                       lambda u: may.may_handle(u, unit, dept)),
        "/tiep-nhan/{key}": ("/tiep-nhan/chung_thuc_ban_sao",
                             lambda u: may.may_receive(desk, u)),
        "/ho-so/{code}/kiem-tra": (f"/ho-so/{code}/kiem-tra",
                                   lambda u: may.may_handle(u, unit, desk)),
        # The shared dossier's open step is the justice office's; its procedure lists
        # required documents, which the receiving desk may scan while the dossier is open.
        "/ho-so/{code}/tai-lieu": (f"/ho-so/{code}/tai-lieu",
                                   lambda u: may.may_handle(u, unit, dept)
                                   or may.may_handle(u, unit, desk)),
        "/ho-so/{code}/xin-loi": (f"/ho-so/{code}/xin-loi",
                                  lambda u: may.may_apologise(u, [(unit, desk),
                                                                   (unit, dept)])),
        "/thu-tuc/{key}/{number}/kiem-tra": ("/thu-tuc/chung_thuc_ban_sao/1/kiem-tra",
                                             may.may_design),
        "/thu-tuc/{key}/{number}/trien-khai": ("/thu-tuc/chung_thuc_ban_sao/1/trien-khai",
                                               may.may_design),
        "/thu-tuc/{key}/{number}/rut": ("/thu-tuc/chung_thuc_ban_sao/1/rut", may.may_design),
        "/thiet-ke/kiem-tra": ("/thiet-ke/kiem-tra", may.may_design),
        "/thu-tuc/{key}/chuyen-phien-ban": ("/thu-tuc/chung_thuc_ban_sao/chuyen-phien-ban",
                                            may.may_design),
        "/thiet-ke/trien-khai": ("/thiet-ke/trien-khai", may.may_design),
        "/thiet-ke/bieu-mau/xem-truoc": ("/thiet-ke/bieu-mau/xem-truoc", may.may_design),
        "/su-co/{incident_id}/chay-lai": ("/su-co/999999/chay-lai", may.may_view_incidents),
        "/su-co/{incident_id}/sua-du-lieu": ("/su-co/999999/sua-du-lieu",
                                             may.may_view_incidents),
        "/quan-tri/tai-khoan": ("/quan-tri/tai-khoan", may.may_administer),
        "/quan-tri/tai-khoan/{username}/khoa": ("/quan-tri/tai-khoan/justice/khoa",
                                                may.may_administer),
        "/quan-tri/tai-khoan/{username}/mo-khoa": ("/quan-tri/tai-khoan/justice/mo-khoa",
                                                   may.may_administer),
        "/quan-tri/tai-khoan/{username}/mat-khau": ("/quan-tri/tai-khoan/justice/mat-khau",
                                                    may.may_administer),
        "/quan-tri/phong-ban": ("/quan-tri/phong-ban", may.may_administer),
        "/quan-tri/tai-khoan/{username}/vai-tro": ("/quan-tri/tai-khoan/justice/vai-tro",
                                                   may.may_administer),
        "/quan-tri/thu-tuc/tat": ("/quan-tri/thu-tuc/tat", may.may_administer),
        "/quan-tri/thu-tuc/bat": ("/quan-tri/thu-tuc/bat", may.may_administer),
        "/mat-khau": ("/mat-khau", lambda u: u.active),
        "/thong-ke/gui": ("/thong-ke/gui", may.may_send_reports),
    }


def test_every_web_route_has_an_expectation(api: ApiOffice) -> None:
    expected = {("GET", p) for p in get_cases(api)} | {("POST", p) for p in post_cases(api)}
    assert web_routes() == expected


@cache
def _browser(api: ApiOffice, username: str | None) -> httpx.Client:
    if username is None:
        return httpx.Client(base_url=api.url)
    return web_session(api, username)


@pytest.mark.parametrize("username", [*DEMO, None])
def test_each_page_answers_each_visitor_as_the_permissions_say(
        api: ApiOffice, username: str | None) -> None:
    user = _users(api)[username] if username else None
    browser = _browser(api, username)
    wrong = {}
    for path, (url, expect) in get_cases(api).items():
        answer = browser.get(url)
        status = answer.status_code
        if status == 303 and "/dang-nhap" in answer.headers.get("location", ""):
            status = SIGN_IN if path not in ("/", "/ngon-ngu/{lang}") else 303
        if status != expect(user):
            wrong[path] = (status, expect(user))
    assert wrong == {}, username


@pytest.mark.parametrize("username", [*DEMO, None])
def test_forms_refuse_the_visitors_who_may_not_send_them(
        api: ApiOffice, username: str | None) -> None:
    user = _users(api)[username] if username else None
    browser = _browser(api, username)
    csrf = csrf_of(browser.get("/dang-nhap").text)
    wrong = {}
    for path, (url, allowed) in post_cases(api).items():
        if allowed is None or (user is not None and allowed(user)):
            continue
        # Data the page's own form checks accept, so the permission is what answers.
        answer = browser.post(url, data={"csrf": csrf, **FILLED})
        if user is None:
            ok = answer.status_code == 303 and "/dang-nhap" in answer.headers["location"]
        else:
            ok = answer.status_code == 403
        if not ok:
            wrong[path] = answer.status_code
    assert wrong == {}, username
