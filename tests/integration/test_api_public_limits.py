"""What anyone may call, limited per client address: online filings (and their size), public
lookups, ratings; over the API and on the public web pages.

The server trusts 127.0.0.1 as its proxy, so each test speaks from addresses of its own
through ``X-Forwarded-For``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import DB_PARAMS
from tests.features.api_steps import APPLICANT, COPY, ApiOffice, csrf_of, serving

PROBLEM = "application/problem+json"
# Hourly windows: a quota's count decays only as its window passes, never within a test.
LIMITS = {"public_filing_limit": "3/hour;5/day", "public_filing_max_bytes": 2000,
          "public_lookup_limit": "4/hour", "public_rating_limit": "2/hour",
          "trusted_proxies": "127.0.0.1"}


@pytest.fixture(scope="module", params=DB_PARAMS)
def api(request: pytest.FixtureRequest) -> Iterator[ApiOffice]:
    with serving(request.param, **LIMITS) as running:
        yield running


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def _file(api: ApiOffice, address: str, data: dict[str, Any] | None = None,
          client: httpx.Client | None = None) -> httpx.Response:
    return (client or api.client()).post("/dossiers", headers=_from(address), json={
        "procedure": "chung_thuc_ban_sao", "applicant": APPLICANT, "channel": "online",
        "data": data or COPY})


def _too_many(answer: httpx.Response) -> None:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["type"] == "https://motcua.dev/problems/too-many-requests"
    assert 1 <= int(answer.headers["retry-after"]) <= 3600


def _total(api: ApiOffice) -> int:
    total: int = api.client("auditor").get("/dossiers", params={"limit": 1}).json()["total"]
    return total


def test_anonymous_filings_are_limited_per_address_and_the_desk_is_not(api: ApiOffice) -> None:
    for _ in range(3):
        assert _file(api, "203.0.113.1").status_code == 201
    before = _total(api)
    _too_many(_file(api, "203.0.113.1"))
    assert _total(api) == before  # refused before anything was written
    assert _file(api, "203.0.113.2").status_code == 201  # another address
    # The desk files for people all day: signed-in filings are not counted.
    for _ in range(4):
        assert _file(api, "203.0.113.1", client=api.client("reception")).status_code == 201


def test_an_anonymous_filing_over_the_size_quota_is_413_and_writes_nothing(
        api: ApiOffice) -> None:
    before = _total(api)
    # The form sets no length on the document's name: only the quota stops a megabyte.
    big = {**COPY, "ten_giay_to": "Bằng tốt nghiệp trung học phổ thông. " * 60}
    answer = _file(api, "203.0.113.20", big)
    assert answer.status_code == 413, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body = answer.json()
    assert body["type"] == "https://motcua.dev/problems/too-large"
    assert "tối đa 2.000" in body["detail"]  # grouped as Vietnamese write it
    assert _total(api) == before
    # The same applicant at the desk is not held to the online quota.
    assert _file(api, "203.0.113.20", big, api.client("reception")).status_code == 201


def test_public_lookups_are_limited_per_address_over_the_api_and_the_web(
        api: ApiOffice) -> None:
    code = api.submit()["code"]
    for _ in range(3):
        assert api.client().get(f"/public/dossiers/{code}",
                                headers=_from("203.0.113.30")).status_code == 200
    # Unknown codes count too: guessing codes is what the limit is for.
    assert api.client().get("/public/dossiers/000.00.81.H26-260303-9999",
                            headers=_from("203.0.113.30")).status_code == 404
    _too_many(api.client().get(f"/public/dossiers/{code}", headers=_from("203.0.113.30")))
    page = httpx.get(f"{api.url}/tra-cuu/{code}", headers=_from("203.0.113.30"))
    assert page.status_code == 429
    assert page.headers["content-type"].startswith("text/html")
    assert "Quá nhiều yêu cầu" in page.text and "giây" in page.text
    assert 1 <= int(page.headers["retry-after"]) <= 3600
    assert httpx.get(f"{api.url}/tra-cuu/{code}",
                     headers=_from("203.0.113.31")).status_code == 200


def test_ratings_are_limited_per_address(api: ApiOffice) -> None:
    receipt = api.submit()
    api.certify(receipt["code"])
    rating = f"/public/dossiers/{receipt['code']}/rating"
    for _ in range(2):  # wrong secrets: each attempt counts
        wrong = api.client().post(rating, headers=_from("203.0.113.40"),
                                  json={"secret": "AAAAAAAA", "satisfaction": 5})
        assert wrong.status_code == 403
    _too_many(api.client().post(rating, headers=_from("203.0.113.40"),
                                json={"secret": receipt["secret"], "satisfaction": 5}))
    # The rating page shows the same limit, in Vietnamese.
    web = httpx.Client(base_url=api.url, headers=_from("203.0.113.40"))
    try:
        form = web.get(f"/tra-cuu/{receipt['code']}")
        refused = web.post(f"/tra-cuu/{receipt['code']}/danh-gia", data={
            "csrf": csrf_of(form.text), "secret": receipt["secret"], "satisfaction": "5"})
    finally:
        web.close()
    assert refused.status_code == 429
    assert "Vui lòng thử lại sau" in refused.text
    assert int(refused.headers["retry-after"]) >= 1
    answer = api.client().post(rating, headers=_from("203.0.113.41"),
                               json={"secret": receipt["secret"], "satisfaction": 5})
    assert answer.status_code == 201, answer.text
