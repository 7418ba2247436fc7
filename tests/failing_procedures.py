"""Small procedures whose automatic steps fail on some data, each in a way an office meets:
a script that divides by a number the applicant typed, a condition on a variable no step
sets, a fee table that does not cover the data, and a script after a timer. Each is a valid
procedure (it deploys); only running it fails. (A service the engine cannot call is the odd
one out: the validator refuses it.)"""

from __future__ import annotations

import json

from tests.bpmn_factory import HEADER, form, props

# What the applicant types at the desk: the number of copies, which may be 0 by mistake.
COPIES_FORM = json.dumps({
    "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
    "title": "Yêu cầu", "properties": {
        "copies": {"type": "integer", "title": "Số bản sao", "minimum": 0, "maximum": 500},
        "pages": {"type": "integer", "title": "Số trang", "minimum": 1, "maximum": 5000}},
    "required": ["copies"]}, ensure_ascii=False)
STEP_FORM = "thu.buoc.json"
PROCESS_PROPS = {"procedure_code": "9.000001", "field": "Thử nghiệm", "level": "commune",
                 "deadline": "3", "deadline_unit": "working_days"}


def _process(key: str, name: str, nodes: list[tuple[str, str]], flows: list[tuple[str, str]],
             extra: str = "") -> str:
    """A process in one lane (the one-stop desk): ``nodes`` are (id, XML without the
    incoming/outgoing refs), ``flows`` are (source, target) in order."""
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    flow_xml = []
    for n, (source, target) in enumerate(flows, 1):
        fid = f"f{n}"
        outgoing.setdefault(source, []).append(fid)
        incoming.setdefault(target, []).append(fid)
        flow_xml.append(f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" '
                        f'targetRef="{target}"/>')
    body = []
    for node_id, xml in nodes:
        refs = "".join(f"<bpmn:incoming>{f}</bpmn:incoming>" for f in incoming.get(node_id, []))
        refs += "".join(f"<bpmn:outgoing>{f}</bpmn:outgoing>" for f in outgoing.get(node_id, []))
        body.append(_with_refs(xml, refs))
    lane_refs = "".join(f"<bpmn:flowNodeRef>{i}</bpmn:flowNodeRef>" for i, _ in nodes)
    return HEADER + (
        f'<bpmn:process id="{key}" name="{name}" isExecutable="true">{props(**PROCESS_PROPS)}'
        f'<bpmn:laneSet id="ls"><bpmn:lane id="lane_mc" name="Một cửa">'
        f'{props(department="MOT_CUA")}{lane_refs}</bpmn:lane></bpmn:laneSet>\n'
        + "\n".join(body) + "\n" + "\n".join(flow_xml) + extra + "\n" + _REFUSAL_END +
        "\n</bpmn:process>\n</bpmn:definitions>\n")


# The refusal end every procedure has (the validator wants one); these tests never reach it.
_REFUSAL_END = (f'<bpmn:endEvent id="tu_choi_chung" name="Từ chối">{props(outcome="refused")}'
                "</bpmn:endEvent>")


def _with_refs(xml: str, refs: str) -> str:
    """The schema wants the flow refs after the extension elements, before anything else."""
    marker = "</bpmn:extensionElements>"
    at = xml.index(marker) + len(marker) if marker in xml else xml.index(">") + 1
    return xml[:at] + refs + xml[at:]


def _start(form: str | None) -> tuple[str, str]:
    inner = props(form=form) if form else ""
    return "start", f'<bpmn:startEvent id="start">{inner}</bpmn:startEvent>'


def _user(node_id: str, name: str, form_name: str = STEP_FORM) -> tuple[str, str]:
    return node_id, (f'<bpmn:userTask id="{node_id}" name="{name}">'
                     f'{props(allowance="1d", form=form_name)}</bpmn:userTask>')


def _script(node_id: str, name: str, script: str) -> tuple[str, str]:
    return node_id, (f'<bpmn:scriptTask id="{node_id}" name="{name}">'
                     f"<bpmn:script>{script}</bpmn:script></bpmn:scriptTask>")


def _end(node_id: str = "end", outcome: str = "resolved") -> tuple[str, str]:
    return node_id, f'<bpmn:endEvent id="{node_id}">{props(outcome=outcome)}</bpmn:endEvent>'


def files(key: str, bpmn: str, **extra: str) -> dict[str, bytes]:
    found = {f"{key}.bpmn": bpmn.encode(), f"{key}.nop_ho_so.json": COPIES_FORM.encode(),
             STEP_FORM: form("Bước thử")}
    found.update({name: text.encode() for name, text in extra.items()})
    return found


def divide_at_submit() -> dict[str, bytes]:
    """Submit runs ``10000 / copies``: copies = 0 fails at the desk."""
    key = "thu_chia_khi_nop"
    return files(key, _process(key, "Thử chia khi nộp", [
        _start(f"{key}.nop_ho_so.json"),
        _script("tinh_phi", "Tính phí mỗi bản", "phi_moi_ban = 10000 / copies"),
        _user("xu_ly", "Xử lý"), _end()],
        [("start", "tinh_phi"), ("tinh_phi", "xu_ly"), ("xu_ly", "end")]))


def divide_after_timer() -> dict[str, bytes]:
    """One hour after submission the worker runs ``10000 / copies``."""
    key = "thu_chia_sau_hen_gio"
    timer = ('<bpmn:intermediateCatchEvent id="cho" name="Chờ 1 giờ"><bpmn:timerEventDefinition '
             'id="td"><bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition>'
             "</bpmn:intermediateCatchEvent>")
    return files(key, _process(key, "Thử chia sau hẹn giờ", [
        _start(f"{key}.nop_ho_so.json"), ("cho", timer),
        _script("tinh_phi", "Tính phí mỗi bản", "phi_moi_ban = 10000 / copies"),
        _user("xu_ly", "Xử lý"), _end()],
        [("start", "cho"), ("cho", "tinh_phi"), ("tinh_phi", "xu_ly"), ("xu_ly", "end")]))


CONDITION_ON_UNSET = 'ket_qua == "tu_choi" and so_lan_bo_sung < 2'


def condition_on_unset_variable() -> dict[str, bytes]:
    """The gateway after the desk's check asks ``ket_qua == "tu_choi" and so_lan_bo_sung <
    2``: the desk's form requires ``ket_qua``, but no step sets ``so_lan_bo_sung``."""
    key = "thu_dieu_kien_thieu_bien"
    gateway = ('<bpmn:exclusiveGateway id="hop_le" name="Hợp lệ?" default="f3">'
               "</bpmn:exclusiveGateway>")
    condition = (f"<bpmn:conditionExpression>{CONDITION_ON_UNSET.replace('<', '&lt;')}"
                 "</bpmn:conditionExpression>")
    check_form = f"{key}.kiem_tra.json"
    bpmn = _process(key, "Thử điều kiện thiếu biến", [
        _start(f"{key}.nop_ho_so.json"), _user("kiem_tra", "Kiểm tra", check_form),
        ("hop_le", gateway),
        _user("xu_ly", "Xử lý"), _end(), _end("tu_choi", "refused")],
        [("start", "kiem_tra"), ("kiem_tra", "hop_le"), ("hop_le", "xu_ly"),
         ("hop_le", "tu_choi"), ("xu_ly", "end")])
    # The flow to the refusal carries the condition; f3 (to xu_ly) is the default.
    bpmn = bpmn.replace('<bpmn:sequenceFlow id="f4" sourceRef="hop_le" targetRef="tu_choi"/>',
                        '<bpmn:sequenceFlow id="f4" sourceRef="hop_le" targetRef="tu_choi">'
                        f"{condition}</bpmn:sequenceFlow>")
    return files(key, bpmn, **{check_form: form("Kiểm tra", {"ket_qua": ["dat", "tu_choi"]})
                               .decode()})


def divide_after_step() -> dict[str, bytes]:
    """After the desk's check a script divides by ``copies``: completing it fails."""
    key = "thu_chia_sau_buoc"
    return files(key, _process(key, "Thử chia sau bước", [
        _start(f"{key}.nop_ho_so.json"), _user("kiem_tra", "Kiểm tra"),
        _script("tinh_phi", "Tính phí mỗi bản", "phi_moi_ban = 10000 / copies"),
        _user("xu_ly", "Xử lý"), _end()],
        [("start", "kiem_tra"), ("kiem_tra", "tinh_phi"), ("tinh_phi", "xu_ly"),
         ("xu_ly", "end")]))


FEE_TABLE = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d_phi_thu" name="Phí thử"
  namespace="urn:motcua:test">
  <decision id="phi_thu" name="Phí thử theo số trang">
    <decisionTable id="bang_phi_thu" hitPolicy="UNIQUE">
      <input id="i_pages" label="Số trang">
        <inputExpression id="ie_pages" typeRef="integer"><text>pages</text></inputExpression>
      </input>
      <output id="o_fee" label="Phí" name="fee" typeRef="integer"/>
      <rule id="r1"><inputEntry id="e1"><text>&lt;= 2</text></inputEntry>
        <outputEntry id="x1"><text>2000</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="e2"><text>3 &lt;= ? &lt;= 10</text></inputEntry>
        <outputEntry id="x2"><text>5000</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""


def fee_table_gap() -> dict[str, bytes]:
    """The fee table covers 1 to 10 pages; the form allows 5000."""
    key = "thu_bang_phi_thieu"
    rule_task = ('<bpmn:businessRuleTask id="tinh_phi" name="Tính phí theo bảng">'
                 "<bpmn:extensionElements><spiffworkflow:calledDecisionId>phi_thu"
                 "</spiffworkflow:calledDecisionId></bpmn:extensionElements>"
                 "</bpmn:businessRuleTask>")
    return files(key, _process(key, "Thử bảng phí thiếu", [
        _start(f"{key}.nop_ho_so.json"), ("tinh_phi", rule_task), _user("xu_ly", "Xử lý"),
        _end()], [("start", "tinh_phi"), ("tinh_phi", "xu_ly"), ("xu_ly", "end")]),
        **{"phi_thu.dmn": FEE_TABLE})


def service_call() -> dict[str, bytes]:
    """A service task asking for an HTTP call, which this engine has no connector for."""
    key = "thu_goi_dich_vu"
    service = ('<bpmn:serviceTask id="tra_cuu" name="Tra cứu cơ sở dữ liệu dân cư">'
               "<bpmn:extensionElements><spiffworkflow:serviceTaskOperator id=\"http/GetRequest\""
               ' resultVariable="ket_qua_tra_cuu"><spiffworkflow:parameters>'
               '<spiffworkflow:parameter id="url" type="str" value="\'https://example.invalid\'"/>'
               "</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>"
               "</bpmn:extensionElements></bpmn:serviceTask>")
    return files(key, _process(key, "Thử gọi dịch vụ", [
        _start(f"{key}.nop_ho_so.json"), ("tra_cuu", service), _user("xu_ly", "Xử lý"),
        _end()], [("start", "tra_cuu"), ("tra_cuu", "xu_ly"), ("xu_ly", "end")]))


def timer_from_the_form() -> dict[str, bytes]:
    """The desk types the appointment (``ngay_hen``) the timer waits for: a date the engine
    cannot read fails the submission at the timer."""
    key = "thu_hen_theo_ngay_nhap"
    start_form = json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
        "title": "Yêu cầu", "properties": {"ngay_hen": {"type": "string", "title": "Ngày hẹn"}},
        "required": ["ngay_hen"]}, ensure_ascii=False)
    timer = ('<bpmn:intermediateCatchEvent id="cho_hen" name="Chờ đến ngày hẹn">'
             '<bpmn:timerEventDefinition id="td"><bpmn:timeDate>ngay_hen</bpmn:timeDate>'
             "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>")
    found = files(key, _process(key, "Thử hẹn theo ngày nhập", [
        _start(f"{key}.nop_ho_so.json"), ("cho_hen", timer), _user("xu_ly", "Xử lý"), _end()],
        [("start", "cho_hen"), ("cho_hen", "xu_ly"), ("xu_ly", "end")]))
    found[f"{key}.nop_ho_so.json"] = start_form.encode()
    return found
