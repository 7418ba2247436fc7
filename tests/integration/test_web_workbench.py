"""The workbench's bundle over HTTP: the posted files are the bundle (a replaced form is
checked as sent, a removed one is gone), a new procedure from the template validates and
deploys as it is, and what the routes refuse."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import httpx
import pytest

from tests.features.api_steps import ApiOffice, csrf_of, web_session

TEMPLATE = {"key": "cap_trich_luc", "name": "Cấp trích lục", "code": "2.000635",
            "field": "Hộ tịch", "level": "commune", "deadline": "1",
            "deadline_unit": "working_days", "departments": ["TU_PHAP"]}


@pytest.fixture
def designer(api: ApiOffice) -> httpx.Client:
    return web_session(api, "designer")


def _setup(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="modeler-setup">(.*?)</script>',
                      html, re.S)
    assert found, html[:300]
    island: dict[str, Any] = json.loads(unescape(found.group(1)))
    return island


def _post(client: httpx.Client, url: str, xml: str, files: dict[str, str] | None,
          main: str | None = None) -> httpx.Response:
    csrf = csrf_of(client.get("/dang-nhap").text)
    data = {"csrf": csrf, "xml": xml, **({"main": main} if main else {})}
    if files is not None:
        data["files"] = json.dumps(files)
    return client.post(url, data=data)


def _version(client: httpx.Client) -> tuple[dict[str, Any], str]:
    setup = _setup(client.get("/thu-tuc/chung_thuc_ban_sao/1/thiet-ke").text)
    return setup, client.get(setup["xml"]).text


def test_the_page_carries_the_bundle_and_the_posted_files_are_the_bundle(
        designer: httpx.Client) -> None:
    setup, xml = _version(designer)
    assert setup["main"] == "chung_thuc_ban_sao.bpmn"
    assert "chung_thuc_ban_sao.kiem_tra.json" in setup["files"]
    assert "chung_thuc_ban_sao.bpmn" not in setup["files"]
    url = setup["validate"]
    assert _post(designer, url, xml, setup["files"]).json() == {"valid": True, "problems": []}
    assert _post(designer, url, xml, None).status_code == 200  # no files: the stored ones
    removed = {n: t for n, t in setup["files"].items() if n != "chung_thuc_ban_sao.xu_ly.json"}
    answer = _post(designer, url, xml, removed)
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert "chung_thuc_ban_sao.xu_ly.json" in problem["message"]
    assert problem["element_id"] == "Task_XuLy"
    replaced = {**setup["files"], "chung_thuc_ban_sao.xu_ly.json": '{"type": "array"}'}
    [problem] = _post(designer, url, xml, replaced).json()["problems"]
    assert (problem["file"], problem["element_id"]) == ("chung_thuc_ban_sao.xu_ly.json", None)


def test_files_that_are_not_a_name_to_text_object_are_refused(designer: httpx.Client) -> None:
    setup, xml = _version(designer)
    csrf = csrf_of(designer.get("/dang-nhap").text)
    for files in ("not json", "[1, 2]", '{"a.json": 3}'):
        answer = designer.post(setup["validate"], data={"csrf": csrf, "xml": xml,
                                                        "files": files})
        assert answer.status_code == 422
        assert answer.json()["problems"][0]["file"] == "files"


def test_a_new_procedure_from_the_template_validates_deploys_and_opens_its_version(
        designer: httpx.Client) -> None:
    page = designer.get("/thiet-ke/moi", params=TEMPLATE)
    assert page.status_code == 200
    setup = _setup(page.text)
    assert setup["main"] == "cap_trich_luc.bpmn"
    assert sorted(setup["files"]) == [
        "cap_trich_luc.nop_ho_so.json", "cap_trich_luc.tiep_nhan.json",
        "cap_trich_luc.tra_ket_qua.json", "cap_trich_luc.xu_ly_tu_phap.json"]
    xml, files = setup["diagram"], setup["files"]
    assert _post(designer, "/thiet-ke/kiem-tra", xml, files, setup["main"]).json()["valid"]
    deployed = _post(designer, "/thiet-ke/trien-khai", xml, files, setup["main"]).json()
    assert deployed == {"valid": True, "key": "cap_trich_luc", "version": 1, "created": True,
                        "next": "/thu-tuc/cap_trich_luc/1/thiet-ke"}
    assert designer.get(deployed["next"]).status_code == 200
    again = _post(designer, "/thiet-ke/trien-khai", xml, files, setup["main"]).json()
    assert (again["version"], again["created"]) == (1, False)
    # without its forms the bundle is refused, each missing form named on its step
    answer = _post(designer, "/thiet-ke/trien-khai", xml, {}, setup["main"])
    assert answer.status_code == 422
    assert {p["element_id"] for p in answer.json()["problems"]} >= {"Task_TiepNhan",
                                                                     "Task_TraKetQua"}


def test_the_template_form_says_which_entry_to_fix(designer: httpx.Client) -> None:
    page = designer.get("/thiet-ke/moi", params={**TEMPLATE, "key": "Có dấu"})
    assert page.status_code == 200
    assert 'id="template-error"' in page.text
    assert "diagram" not in _setup(page.text)
    blank = designer.get("/thiet-ke/moi")
    assert 'id="template-error"' not in blank.text and "diagram" not in _setup(blank.text)
