"""The procedure's list of documents (thành phần hồ sơ): read from the BPMN, checked at deploy
with every problem located at its line, in the designer's language."""

from __future__ import annotations

from engine.definitions import read_bundle
from engine.errors import Problem
from tests.bpmn_factory import FORMS, procedure
from tests.conftest import PROCESSES, definition_files
from tests.unit.test_definitions import DEPTS

NS = 'xmlns:motcua="urn:motcua:bpmn:1.0" '


def with_documents(*documents: str, desk: bool = True) -> str:
    """The factory's procedure with ``documents`` (attribute strings) under its process and,
    with ``desk``, its first step marked as the desk's check."""
    text = procedure(process_props={"deadline": "3"})
    rows = "".join(f"<motcua:document {d}/>\n" for d in documents)
    text = text.replace("xmlns:bpmn=", NS + "xmlns:bpmn=", 1)
    text = text.replace("</spiffworkflow:properties></bpmn:extensionElements>",
                        "</spiffworkflow:properties>\n<motcua:documents>\n" + rows
                        + "</motcua:documents></bpmn:extensionElements>", 1)
    if desk:
        text = text.replace('<spiffworkflow:property name="allowance" value="1d"/>'
                            '<spiffworkflow:property name="form" value="thu.tiep_nhan.json"/>',
                            '<spiffworkflow:property name="desk_check" value="true"/>'
                            '<spiffworkflow:property name="allowance" value="1d"/>'
                            '<spiffworkflow:property name="form" value="thu.tiep_nhan.json"/>',
                            1)
    return text


def read(text: str) -> tuple[list[Problem], object]:
    bundle = read_bundle({"thu.bpmn": text.encode(), **FORMS}, DEPTS)
    return bundle.problems, bundle.procedures[0].meta if bundle.procedures else None


GOOD = ('code="don" name="Đơn đề nghị" form="original" count="1" required="true"',
        'code="ban_ve" name="Bản vẽ" form="copy" count="2" required="false" confirmed="false"')


def test_a_document_list_is_read_in_order_with_its_forms_and_counts() -> None:
    found, meta = read(with_documents(*GOOD))
    assert found == []
    docs = meta.documents  # type: ignore[attr-defined]
    assert [(d.code, d.form, d.count, d.required, d.confirmed) for d in docs] == [
        ("don", "original", 1, True, True), ("ban_ve", "copy", 2, False, False)]
    step = meta.desk_step()  # type: ignore[attr-defined]
    assert step is not None and step.id == "tiep_nhan"
    assert step.desk.field == "ket_qua_kiem_tra" and step.desk.refuse == "tu_choi"


def test_a_procedure_without_a_marked_step_has_no_desk_check() -> None:
    found, meta = read(with_documents(*GOOD, desk=False))
    assert found == [] and meta.desk_step() is None  # type: ignore[attr-defined]


def test_each_wrong_document_is_reported_at_its_own_line() -> None:
    text = with_documents(
        'code="don" name="Đơn" form="original" count="1"',
        'code="don" name="Đơn khác" form="original" count="1"',
        'code="x" name="X" form="photocopy" count="1"',
        'code="y" name="Y" form="copy" count="0"',
        'code="z" form="copy" count="1" required="maybe"',
        'name="Không mã" form="copy"')
    found, _meta = read(text)
    lines = {p.line for p in found}
    assert len(lines) == 5, found  # the first document is right; each other on its line
    vi = "\n".join(p.text("vi") for p in found)
    assert "mã tài liệu don đã dùng cho một tài liệu khác" in vi
    assert "hình thức 'photocopy' không hợp lệ; dùng một trong: original, copy, " \
           "original_or_copy" in vi
    assert "số lượng '0' phải là số nguyên từ 1 trở lên" in vi
    assert "tài liệu chưa có tên" in vi and "required='maybe'" in vi.replace('"', "'")
    assert "tài liệu chưa có mã" in vi
    en = "\n".join(p.text("en") for p in found)
    assert "the document code don is used by another document" in en
    assert all(p.file == "thu.bpmn" and p.element.startswith("document") for p in found)


def test_two_desk_checks_in_one_procedure_are_refused() -> None:
    text = with_documents(*GOOD).replace(
        '<spiffworkflow:property name="allowance" value="1d"/>'
        '<spiffworkflow:property name="form" value="thu.xu_ly.json"/>',
        '<spiffworkflow:property name="desk_check" value="true"/>'
        '<spiffworkflow:property name="allowance" value="1d"/>'
        '<spiffworkflow:property name="form" value="thu.xu_ly.json"/>')
    found, _meta = read(text)
    assert [p.text("en").split(": ", 2)[2] for p in found] == [
        "only one step may be marked desk_check=true (tiep_nhan already is)"]


def test_the_shipped_procedures_list_their_documents_and_mark_the_desk_step() -> None:
    bundle = read_bundle(definition_files(PROCESSES), DEPTS)
    assert bundle.problems == []
    for proc in bundle.procedures:
        meta = proc.meta
        step = meta.desk_step()
        assert step is not None and step.department == "MOT_CUA", meta.key
        assert any(d.required for d in meta.documents), meta.key
    copy = next(p.meta for p in bundle.procedures if p.meta.key == "chung_thuc_ban_sao")
    assert copy.documents[0].code == "ban_chinh" and copy.documents[0].form == "original"
