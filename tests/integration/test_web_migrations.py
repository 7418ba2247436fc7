"""The designers' page for moving running dossiers to a newer version."""

from __future__ import annotations

from tests.features.api_steps import ApiOffice, csrf_of, web_session
from tests.integration.test_api_migrations import versions


def test_a_designer_runs_it_dry_then_moves_the_dossiers(api: ApiOffice) -> None:
    first, second = versions(api, "thu_web_chuyen")
    web = web_session(api, "designer")
    listing = web.get("/thu-tuc").text
    assert 'href="/thu-tuc/thu_web_chuyen/chuyen-phien-ban"' in listing
    page = web.get("/thu-tuc/thu_web_chuyen/chuyen-phien-ban")
    assert page.status_code == 200
    assert '<option value="2" selected>' in page.text
    csrf = csrf_of(page.text)
    dry = web.post("/thu-tuc/thu_web_chuyen/chuyen-phien-ban",
                   data={"csrf": csrf, "to_version": "2", "action": "dry_run"})
    assert dry.status_code == 200, dry.text
    assert 'id="dry-run-note"' in dry.text
    assert dry.text.count('data-outcome="can_move"') == 2
    assert "chuyển được" in dry.text and "<code>tiep_nhan</code> → <code>nhan_ho_so</code>" \
        in dry.text
    run = web.post("/thu-tuc/thu_web_chuyen/chuyen-phien-ban",
                   data={"csrf": csrf, "to_version": "2", "action": "run",
                         "codes": f"{first}\n{second}"})
    assert run.status_code == 200
    assert run.text.count('data-outcome="moved"') == 2
    assert 'id="dry-run-note"' not in run.text
    leader = web_session(api, "leader")
    assert leader.get(f"/ho-so/{first}").status_code == 200  # its page after the move
    again = web.post("/thu-tuc/thu_web_chuyen/chuyen-phien-ban",
                     data={"csrf": csrf, "to_version": "1", "action": "run",
                           "codes": first})
    assert again.status_code == 422
    assert 'id="migrate-error"' in again.text and first in again.text
    missing = web.post("/thu-tuc/thu_web_chuyen/chuyen-phien-ban",
                       data={"csrf": csrf, "to_version": "8", "action": "run"})
    assert missing.status_code == 404 and 'id="migrate-error"' in missing.text
