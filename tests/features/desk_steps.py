"""Steps of the desk's check (desk_order.feature), in the desk's own words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lxml import html as lxml_html
from pytest_bdd import given, parsers, then, when

from engine.model import DossierStatus, User
from engine.runtime.clock import ManualClock
from engine.service import desk, documents, dossiers
from engine.service.office import Office
from engine.service.reporting import statistics
from engine.service.types import Letterhead
from tests.conftest import local

COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}
ORIGINAL = [{"code": "ban_chinh", "form": "original", "count": 1}]
HEAD = Letterhead(agency_name="UBND phường Hà Đông")


@dataclass
class Filing:
    code: str = ""
    dossier_id: int = 0


def _text(page: str) -> str:
    return " ".join(" ".join(lxml_html.fromstring(page).itertext()).split())


def _at(day: str, time: str) -> datetime:
    d, t = date.fromisoformat(day), [int(x) for x in time.split(":")]
    return local(d.year, d.month, d.day, t[0], t[1])


@given(parsers.parse("công dân nộp hồ sơ chứng thực bản sao tại Bộ phận Một cửa lúc {time} "
                     "ngày {day}"), target_fixture="filing")
def citizen_files(office: Office, users: dict[str, User], clock: ManualClock, time: str,
                  day: str) -> Filing:
    clock.set(_at(day, time))
    receipt = dossiers.submit(office, "chung_thuc_ban_sao", {"name": "Nguyễn Văn Bình"},
                              "direct", COPY, users["reception"])
    return Filing(receipt.code, receipt.dossier_id)


@when("cán bộ một cửa nhận bản chính và tiếp nhận hồ sơ")
def desk_accepts(office: Office, users: dict[str, User], filing: Filing) -> None:
    desk.check(office, users["reception"], filing.code, ORIGINAL, desk.ACCEPT)


@when("cán bộ một cửa thấy hồ sơ thiếu giấy tờ và yêu cầu bổ sung")
def desk_asks(office: Office, users: dict[str, User], filing: Filing) -> None:
    desk.check(office, users["reception"], filing.code, [], desk.SUPPLEMENT)


@when(parsers.parse('cán bộ một cửa từ chối tiếp nhận: "{reasons}"'))
def desk_refuses(office: Office, users: dict[str, User], filing: Filing, reasons: str) -> None:
    desk.check(office, users["reception"], filing.code, ORIGINAL, desk.REFUSE, reasons)


@then("hồ sơ đang được kiểm tra tại Bộ phận Một cửa")
def being_checked(office: Office, users: dict[str, User], filing: Filing) -> None:
    view = desk.desk_view(office, users["reception"], filing.code)
    assert view.waiting and view.step is not None and view.step.department == "MOT_CUA"


@then(parsers.parse('giấy tiếp nhận liệt kê "{name}"'))
def receipt_lists(office: Office, users: dict[str, User], filing: Filing, name: str) -> None:
    page = documents.receipt(office, users["reception"], filing.code, HEAD, "http://x")
    assert name in _text(page.split('class="documents"')[1])


@then(parsers.parse('giấy tiếp nhận do "{name}" ký'))
def receipt_signed(office: Office, users: dict[str, User], filing: Filing, name: str) -> None:
    page = documents.receipt(office, users["reception"], filing.code, HEAD, "http://x")
    assert name in _text(page.split('class="signature"')[1])


@then(parsers.parse("hồ sơ được chuyển đến phòng {department}"))
def handed_to(office: Office, users: dict[str, User], filing: Filing, department: str) -> None:
    with office.db.unit_of_work(readonly=True) as uow:
        open_items = uow.items.active_for_dossier(filing.dossier_id)
    assert [i.department_code for i in open_items] == [department]


@then(parsers.parse('phiếu yêu cầu bổ sung liệt kê "{name}"'))
def supplement_lists(office: Office, users: dict[str, User], filing: Filing, name: str) -> None:
    page = documents.supplement_request(office, users["reception"], filing.code, HEAD)
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in page and name in _text(page)


@then(parsers.parse('phiếu từ chối tiếp nhận ghi lý do "{reasons}"'))
def refusal_reasons(office: Office, users: dict[str, User], filing: Filing,
                    reasons: str) -> None:
    page = documents.refusal_slip(office, users["reception"], filing.code, HEAD)
    assert reasons in _text(page.split('class="reasons"')[1])


@then(parsers.parse('phiếu từ chối tiếp nhận do "{name}" ký'))
def refusal_signed(office: Office, users: dict[str, User], filing: Filing, name: str) -> None:
    page = documents.refusal_slip(office, users["reception"], filing.code, HEAD)
    assert name in _text(page.split('class="signature"')[1])


@then("hồ sơ kết thúc là không tiếp nhận")
def not_accepted(office: Office, filing: Filing) -> None:
    with office.db.unit_of_work(readonly=True) as uow:
        found = uow.dossiers.get(filing.dossier_id)
    assert found is not None and found.status == DossierStatus.NOT_ACCEPTED


@then(parsers.parse("thống kê tháng {month:d} năm {year:d} có {received:d} hồ sơ nhận giải "
                    "quyết và {refused:d} hồ sơ không tiếp nhận"))
def counted(office: Office, month: int, year: int, received: int, refused: int) -> None:
    report = statistics(office, date(year, month, 1), date(year, month, 28))
    assert (report.total.received, report.total.not_accepted) == (received, refused)
