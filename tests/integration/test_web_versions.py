"""The designer's pages: a version deployed from the modeler in force from a day typed as
Vietnamese write it, the timeline on the procedures page, a withdrawal before the day, and
the refusals as pages."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import httpx
import pytest

from tests.features.api_steps import ApiOffice, csrf_of, web_session


@pytest.fixture
def designer(api: ApiOffice) -> httpx.Client:
    return web_session(api, "designer")


def _setup(client: httpx.Client) -> tuple[dict[str, Any], str]:
    html = client.get("/thu-tuc/chung_thuc_ban_sao/1/thiet-ke").text
    assert 'id="effective-from"' in html
    found = re.search(r'<script type="application/json" id="modeler-setup">(.*?)</script>',
                      html, re.S)
    assert found
    setup: dict[str, Any] = json.loads(unescape(found.group(1)))
    return setup, client.get(setup["xml"]).text


def _deploy(client: httpx.Client, day: str) -> httpx.Response:
    setup, xml = _setup(client)
    changed = xml.replace('name="Tiếp nhận', 'name="Nhận', 1)
    csrf = csrf_of(client.get("/dang-nhap").text)
    return client.post(setup["deploy"], data={"csrf": csrf, "xml": changed,
                                              "files": json.dumps(setup["files"]),
                                              "effective_from": day})


def _rows(client: httpx.Client) -> dict[str, str]:
    html = client.get("/thu-tuc").text
    section = html[html.index('id="p-chung_thuc_ban_sao"'):]
    section = section[:section.index("</section>")]
    return dict(re.findall(r'data-version="(\d+)" data-state="(\w+)"', section))


def test_a_designer_deploys_ahead_from_the_modeler_and_withdraws_from_the_list(
        api: ApiOffice, designer: httpx.Client) -> None:
    bad = _deploy(designer, "31/02/2026")
    assert bad.status_code == 422
    assert "31/02/2026" in bad.json()["problems"][0]["message"]
    assert _rows(designer) == {"1": "in_force"}

    answer = _deploy(designer, "01/04/2026")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["version"], answer.json()["created"]) == (2, True)
    assert _rows(designer) == {"1": "in_force", "2": "upcoming"}
    page = designer.get("/thu-tuc").text
    assert "Từ 01/04/2026 áp dụng phiên bản 2" in page
    desk = web_session(api, "reception")
    assert "Từ 01/04/2026 áp dụng phiên bản 2" in desk.get("/tiep-nhan").text
    form = desk.get("/tiep-nhan/chung_thuc_ban_sao").text
    assert "Từ 01/04/2026 áp dụng phiên bản 2" in form

    csrf = csrf_of(designer.get("/dang-nhap").text)
    refused = designer.post("/thu-tuc/chung_thuc_ban_sao/1/rut", data={"csrf": csrf},
                            follow_redirects=True)
    assert refused.status_code == 409
    assert "03/03/2026" in refused.text
    done = designer.post("/thu-tuc/chung_thuc_ban_sao/2/rut", data={"csrf": csrf})
    assert done.status_code == 303
    assert _rows(designer) == {"1": "in_force", "2": "withdrawn"}
