"""The documents a dossier must contain (thành phần hồ sơ), as procedure data in the BPMN.

Written under the process's extensionElements (docs/authoring.md, "Documents")::

    <motcua:documents>
      <motcua:document code="to_khai" name="Tờ khai …" form="original" count="1"
                       required="true" confirmed="true"/>
    </motcua:documents>

The desk checks a dossier against this list; the receipt lists what it received and the
supplement request what is missing, so the list is read at deploy and checked there.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from engine.errors import Problem
from engine.i18n import msg

MOTCUA_NS = "urn:motcua:bpmn:1.0"
FORMS = ("original", "copy", "original_or_copy")
_DOCUMENTS = etree.XPath("./bpmn:extensionElements/motcua:documents/motcua:document",
                         namespaces={"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
                                     "motcua": MOTCUA_NS})
_BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class RequiredDocument:
    """One document of the procedure's list: what it is, in which form, how many."""

    code: str
    name: str
    form: str  # one of FORMS
    count: int
    required: bool = True
    confirmed: bool = True  # False: not checked against the national portal yet

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "form": self.form, "count": self.count,
                "required": self.required, "confirmed": self.confirmed}


def read_documents(process: etree._Element,
                   file: str) -> tuple[tuple[RequiredDocument, ...], list[Problem]]:
    """The process's document list, and a located problem for each entry that is wrong (a
    wrong entry is left out of the list)."""
    found: list[RequiredDocument] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for node in _DOCUMENTS(process):
        code = (node.get("code") or "").strip()
        where = f"document '{code}'" if code else "document"

        def wrong(id: str, node: etree._Element = node, where: str = where,
                  **params: object) -> None:
            problems.append(Problem(file, node.sourceline, where, msg(id, **params)))

        name = (node.get("name") or "").strip()
        form = (node.get("form") or "").strip()
        raw_count = (node.get("count") or "1").strip()
        before = len(problems)
        if not code:
            wrong("desk_doc_no_code")
        elif code in seen:
            wrong("desk_doc_duplicate", code=code)
        if not name:
            wrong("desk_doc_no_name")
        if form not in FORMS:
            wrong("desk_doc_bad_form", form=form, forms=", ".join(FORMS))
        try:
            count = int(raw_count)
        except ValueError:
            count = 0
        if count < 1:
            wrong("desk_doc_bad_count", count=raw_count)
        flags: dict[str, bool] = {}
        for attr in ("required", "confirmed"):
            raw = (node.get(attr) or "true").strip().lower()
            if raw not in _BOOLEANS:
                wrong("desk_doc_bad_flag", attr=attr, value=raw)
            flags[attr] = _BOOLEANS.get(raw, True)
        if code:
            seen.add(code)
        if len(problems) == before:
            found.append(RequiredDocument(code, name, form, count, **flags))
    return tuple(found), problems
