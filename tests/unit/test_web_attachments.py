"""The attachments macro: every file of the dossier, or one slot's files and upload only
(as the desk's checklist embeds it in each required document's row)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from api.web.filters import install
from api.web.pages import env
from engine.i18n import translate
from engine.service.attachments import AttachmentsView, AttachmentView, SlotView
from engine.service.office import Office

install(env)
AT = datetime(2026, 3, 3, 9, 5, tzinfo=UTC)


def _file(number: int, slot: str, name: str) -> AttachmentView:
    return AttachmentView(number, slot, slot.upper(), name, "png", "image/png", 2048, "0" * 64,
                          "reception", "Nguyễn Thị Lan", AT)


@dataclass
class _Page:
    view: AttachmentsView | None
    office: Office = field(default_factory=lambda: Office(db=None, agency_code="x"))  # type: ignore[arg-type]

    def scans(self, code: str) -> AttachmentsView | None:
        return self.view


VIEW = AttachmentsView("000.00.81.H26-260303-0001",
                       [_file(1, "cccd", "cccd.png"), _file(2, "Task_XuLy", "ban-ve.png")],
                       [SlotView("cccd", "Căn cước công dân", "document"),
                        SlotView("ho_khau", "Sổ hộ khẩu", "document")],
                       10 * 1048576, 50 * 1048576, 4096)


def _render(view: AttachmentsView | None, call: str) -> str:
    template = env.from_string(
        '{% from "_attachments.html" import attachments_card, attachment_forms with context %}'
        + call)
    return template.render(page=_Page(view), csrf="c" * 32, path="/ho-so/x/kiem-tra",
                           lang="vi", t=lambda key, **v: translate("vi", key, **v))


def test_the_whole_card_lists_every_file_and_offers_every_slot() -> None:
    html = _render(VIEW, "{{ attachments_card('000.00.81.H26-260303-0001') }}")
    assert 'class="card attachments"' in html and "Tài liệu đính kèm</h2>" in html
    assert re.findall(r'data-scan-id="(\d+)"', html) == ["1", "2"]
    assert "/ho-so/000.00.81.H26-260303-0001/tai-lieu/2" in html
    assert re.findall(r'<option value="(\w+)"', html) == ["cccd", "ho_khau"]
    assert 'name="next" value="/ho-so/x/kiem-tra"' in html
    assert "Mỗi tệp tối đa 10 MB; cả hồ sơ tối đa 50 MB." in html
    assert "2,0 KB" in html and "16:05 03/03/2026" in html  # Vietnamese numbers, office time


def test_one_slot_shows_its_files_and_uploads_to_it_alone() -> None:
    html = _render(VIEW, "{{ attachments_card('000.00.81.H26-260303-0001', slot='cccd', "
                         "heading=False) }}")
    assert 'class="attachments"' in html and 'data-scan-for="cccd"' in html
    assert "</h2>" not in html
    assert re.findall(r'data-scan-id="(\d+)"', html) == ["1"]
    assert '<input type="hidden" name="slot" value="cccd">' in html and "<select" not in html


def test_a_slot_the_reader_may_not_attach_to_has_no_form() -> None:
    html = _render(VIEW, "{{ attachments_card('000.00.81.H26-260303-0001', slot='Task_XuLy') }}")
    assert re.findall(r'data-scan-id="(\d+)"', html) == ["2"] and "<form" not in html


def test_a_reader_who_may_not_see_the_files_sees_nothing() -> None:
    assert _render(None, "{{ attachments_card('000.00.81.H26-260303-0001') }}").strip() == ""


def test_inside_another_form_the_upload_belongs_to_a_form_written_after_it() -> None:
    html = _render(VIEW, '<form id="desk-check">'
                         "{{ attachments_card('000.00.81.H26-260303-0001', slot='cccd', "
                         "heading=False, outside=True) }}</form>"
                         "{{ attachment_forms('000.00.81.H26-260303-0001', ['cccd', 'x']) }}")
    inner, after = html.split("</form>", 1)
    assert "<form" not in inner.replace('<form id="desk-check">', "")
    assert 'form="scan-upload-cccd" type="file" name="file"' in inner
    assert '<button type="submit" form="scan-upload-cccd">' in inner
    assert re.findall(r'<form id="([\w-]+)"', after) == ["scan-upload-cccd"]  # not ho_khau
    assert '<input type="hidden" name="slot" value="cccd">' in after
    assert 'name="csrf" value="' + "c" * 32 in after
