"""The web step page completes an open step in one post and offers the next step the user
may take."""

from __future__ import annotations

import re

from tests.features.api_steps import ApiOffice
from tests.integration.test_web_incidents import page_text, signed_in


def test_an_open_step_is_completed_in_one_post_and_the_next_step_is_offered(
        api: ApiOffice) -> None:
    code = api.submit()["code"]
    item = api.current(code)["id"]
    with signed_in(api, "reception") as clerk:
        page = page_text(clerk.get(f"/buoc/{item}"))
        assert f'action="/buoc/{item}/hoan-thanh"' in page  # the form, without claiming
        assert f'action="/buoc/{item}/nhan"' in page  # claim stays, to reserve the step
        assert 'id="one-step-hint"' in page
        done = clerk.post(f"/buoc/{item}/hoan-thanh", {"f_ket_qua_kiem_tra": "hop_le"})
        assert done.status_code == 303, done.text
        # Justice's step is next: not the desk's to take, so none is offered.
        assert done.headers["location"] == f"/viec-cua-toi?completed={item}"
    step = api.current(code)
    assert step["department"] == "TU_PHAP" and step["status"] == "open"
    api.complete(step["id"], "justice", {"ket_qua_xu_ly": "dat", "so_chung_thuc": "1/2026"})
    sign = api.current(code)
    with signed_in(api, "leader") as leader:
        leader.get(f"/buoc/{sign['id']}")
        done = leader.post(f"/buoc/{sign['id']}/hoan-thanh", {"f_y_kien_lanh_dao": "dong_y"})
        assert done.status_code == 303, done.text
        handing = api.current(code)
        assert done.headers["location"] == (f"/viec-cua-toi?completed={sign['id']}"
                                            f"&next={handing['id']}")
        queue = page_text(leader.get(done.headers["location"]))
        offer = re.search(r'<p class="alert next-step" id="next-step">(.*?)</p>', queue,
                          re.S)
        assert offer is not None
        assert f'href="/buoc/{handing["id"]}"' in offer.group(1)
        assert f"Bước tiếp theo: {handing['step_name']}" in offer.group(1)
        assert code in offer.group(1)
        # A step the user may not take is never offered, whatever the address says.
        other = page_text(leader.get(f"/viec-cua-toi?completed={sign['id']}&next={sign['id']}"))
        assert 'id="next-step"' not in other
    with signed_in(api, "justice") as officer:
        foreign = page_text(officer.get(f"/viec-cua-toi?completed=1&next={handing['id']}"))
        assert 'id="next-step"' not in foreign


def test_a_step_a_colleague_holds_shows_no_form_and_refuses_the_post(api: ApiOffice) -> None:
    code = api.submit()["code"]
    item = api.current(code)["id"]
    api.claim(item, "leader")
    with signed_in(api, "reception") as clerk:
        page = page_text(clerk.get(f"/buoc/{item}"))
        assert f'action="/buoc/{item}/hoan-thanh"' not in page
        refused = clerk.post(f"/buoc/{item}/hoan-thanh", {"f_ket_qua_kiem_tra": "hop_le"})
        assert refused.status_code == 409
        assert "Nguyễn" in page_text(refused)
    step = api.current(code)
    assert (step["status"], step["claimed_by"]) == ("claimed", "leader")
