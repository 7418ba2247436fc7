"""The printed documents of a dossier, as HTML pages in Vietnamese to print from the browser.

Every page is sent with a Content-Security-Policy that lets no script run but the print
button's own (allowed by its hash), and what applicants and officers typed is escaped by
the templates.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from api.deps import CurrentUser, OfficeDep, SettingsDep
from api.schemas import CODE_PATTERN, problem_responses
from engine.service import documents
from engine.service.types import CONTENT_SECURITY_POLICY, Letterhead
from engine.settings import Settings

router = APIRouter(prefix="/dossiers", tags=["documents"])

Code = Annotated[str, Path(pattern=CODE_PATTERN, examples=["000.00.20.H26-260303-0001"])]
RESPONSES = {200: {"content": {"text/html": {}}}, **problem_responses(401, 403, 404)}
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Personal data: kept by no cache on the way.
    "Cache-Control": "no-store",
}


def _page(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers=HEADERS)


def _letterhead(settings: Settings) -> Letterhead:
    return Letterhead(agency_name=settings.agency_name)


@router.get("/{code}/timeline.html", response_class=HTMLResponse, responses=RESPONSES)
def control_sheet(code: Code, user: CurrentUser, office: OfficeDep,
                  settings: SettingsDep) -> HTMLResponse:
    """The process control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ) to print: the
    header, then one row per hand-over with who handed over and who received, when, and
    whether the step was done early, on time or late. Read as the JSON timeline is."""
    return _page(documents.control_sheet(office, user, code, _letterhead(settings)))


@router.get("/{code}/receipt.html", response_class=HTMLResponse, responses=RESPONSES)
def receipt(code: Code, request: Request, user: CurrentUser, office: OfficeDep,
            settings: SettingsDep) -> HTMLResponse:
    """The appointment receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) re-printed, with a
    QR code of the public lookup page. The secret is stored hashed, so it is not on it. The
    one-stop desk, leaders and auditors."""
    return _page(documents.receipt(office, user, code, _letterhead(settings),
                                   settings.public_url or str(request.base_url)))


@router.get("/{code}/supplement.html", response_class=HTMLResponse, responses=RESPONSES)
def supplement(code: Code, user: CurrentUser, office: OfficeDep,
               settings: SettingsDep) -> HTMLResponse:
    """The supplement request (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) of the last step that
    asked the applicant for more; 404 if the dossier never waited for a supplement."""
    return _page(documents.supplement_request(office, user, code, _letterhead(settings)))


@router.get("/{code}/apology.html", response_class=HTMLResponse, responses=RESPONSES)
def apology(code: Code, user: CurrentUser, office: OfficeDep,
            settings: SettingsDep) -> HTMLResponse:
    """The latest apology letter (Phiếu xin lỗi và hẹn lại ngày trả kết quả); 404 if none."""
    return _page(documents.apology_letter(office, user, code, _letterhead(settings)))


@router.get("/{code}/refusal.html", response_class=HTMLResponse, responses=RESPONSES)
def refusal(code: Code, user: CurrentUser, office: OfficeDep,
            settings: SettingsDep) -> HTMLResponse:
    """The refusal slip (Phiếu từ chối tiếp nhận, giải quyết hồ sơ) of a dossier the desk
    refused at its check, with the reasons and the clerk's full name; 404 if not refused."""
    return _page(documents.refusal_slip(office, user, code, _letterhead(settings)))
