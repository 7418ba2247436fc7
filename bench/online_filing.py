"""What an online filing with its scans costs over HTTP: ``python -m bench.online_filing``.

One server in this process on a fresh SQLite file, the demo office deployed; one client in
turn sends ``POST /api/v1/dossiers`` (online, no files) and ``POST /api/v1/public/filings``
with two scans of ``SCAN_KB`` each, and the web pages' review and sending of the same filing.
Prints one JSON line per figure: the median and 90th percentile in milliseconds.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import httpx

from bench import emit
from tests.features.api_steps import APPLICANT, COPY, running_api

SCAN_KB = 200
ROUNDS = 60
PDF = b"%PDF-1.7\n" + b"0" * (SCAN_KB * 1024)
PNG = b"\x89PNG\r\n\x1a\n" + b"1" * (SCAN_KB * 1024)
LIMITS = {"public_filing_limit": "1000000/hour", "public_scans_limit": "1000000/hour",
          "public_filing_max_bytes": 32 * 1024}


def _timed(call: Callable[[int], None], rounds: int) -> dict[str, float]:
    times = []
    for n in range(rounds):
        started = time.perf_counter()
        call(n)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2),
            "p90_ms": round(times[int(len(times) * 0.9) - 1], 2)}


def main(rounds: int = ROUNDS) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder, \
            running_api(f"sqlite:///{folder}/motcua.db", **LIMITS) as api:
        client = api.client()
        filing = json.dumps({"procedure": "chung_thuc_ban_sao", "applicant": APPLICANT,
                             "data": COPY})

        def plain(_n: int) -> None:
            answer = client.post("/dossiers", json={
                "procedure": "chung_thuc_ban_sao", "applicant": APPLICANT,
                "channel": "online", "data": COPY})
            assert answer.status_code == 201, answer.text

        def with_scans(n: int) -> None:
            # Different bytes each time: every scan is a new file in the store.
            answer = client.post("/public/filings", data={
                "filing": filing, "documents": ["ban_chinh", "ban_sao"]}, files=[
                ("files", ("a.pdf", PDF + str(n).encode(), "application/pdf")),
                ("files", ("b.png", PNG + str(n).encode(), "image/png"))])
            assert answer.status_code == 201, answer.text

        web = httpx.Client(base_url=api.url, timeout=60)
        page = web.get("/nop-truc-tuyen/chung_thuc_ban_sao").text
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        assert found
        csrf = found.group(1)
        form = {"csrf": csrf, "applicant_name": APPLICANT["name"], "f_ten_giay_to": "Bằng",
                "f_pages": "5", "f_copies": "1"}

        def web_pages(n: int) -> None:
            review = web.post("/nop-truc-tuyen/chung_thuc_ban_sao/xem-lai", data=form, files={
                "tep_ban_chinh": ("a.pdf", PDF + b"w" + str(n).encode(), "application/pdf"),
                "tep_ban_sao": ("b.png", PNG + b"w" + str(n).encode(), "image/png")})
            assert review.status_code == 200, review.text[:500]
            token = re.search(r'name="review" value="([^"]+)"', review.text)
            assert token
            sent = web.post("/nop-truc-tuyen/chung_thuc_ban_sao/gui",
                            data={"csrf": csrf, "review": token.group(1)})
            assert sent.status_code == 303, sent.text[:500]

        figures = [
            {"bench": "online_filing", "what": "POST /dossiers online, no files",
             **_timed(plain, rounds)},
            {"bench": "online_filing", "what": f"POST /public/filings, 2 scans of {SCAN_KB} KB",
             **_timed(with_scans, rounds)},
            {"bench": "online_filing",
             "what": f"web review + send, 2 scans of {SCAN_KB} KB", **_timed(web_pages, rounds)},
        ]
        web.close()
    return emit(figures)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
