"""The refusal note fits in one cookie, whatever the length of what it carries, and reads
back as it was written."""

from __future__ import annotations

from fastapi import Request, Response

from api.web import session
from engine.settings import Settings

SETTINGS = Settings(secret_key="k" * 48)


def _request(cookie: str = "") -> Request:
    headers = [(b"cookie", cookie.encode())] if cookie else []
    return Request({"type": "http", "method": "GET", "path": "/tu-choi", "scheme": "http",
                    "headers": headers, "query_string": b""})


def test_a_long_vietnamese_refusal_still_fits_a_cookie_and_reads_back() -> None:
    response = Response()
    detail = "Bước đã có người nhận: " + "ữ" * 5000
    session.keep_refusal(response, _request(), SETTINGS, 409, "Trạng thái đã thay đổi", detail,
                         "/buoc/1?" + "ả" * 900)
    cookie = response.headers["set-cookie"]
    assert len(cookie.encode()) < 4096
    note = cookie.split(";")[0].split("=", 1)[1]
    read = session.read_refusal(_request(f"{session.REFUSAL_COOKIE}={note}"), SETTINGS)
    assert read is not None and read["status"] == 409
    assert str(read["detail"]).startswith("Bước đã có người nhận: ữữ")
    assert read["title"] == "Trạng thái đã thay đổi"


def test_a_note_signed_with_another_key_is_not_read() -> None:
    response = Response()
    session.keep_refusal(response, _request(), Settings(secret_key="x" * 48), 403, "Không", "",
                         "/")
    note = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    assert session.read_refusal(_request(f"{session.REFUSAL_COOKIE}={note}"), SETTINGS) is None
