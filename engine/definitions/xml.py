"""Hardened XML parsing for uploaded definitions.

Uploads come from people, so we refuse anything a BPMN file never needs: a DOCTYPE, entity
declarations (XXE, billion laughs), network or DTD loading. SpiffWorkflow only ever sees a tree
that this module produced.
"""

from __future__ import annotations

from lxml import etree

from engine.errors import UnsafeXml
from engine.i18n import msg

MAX_FILE_BYTES = 5 * 1024 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False,
    load_dtd=False,
    dtd_validation=False,
    no_network=True,
    huge_tree=False,
    remove_comments=False,
)


def safe_parse(data: bytes, filename: str) -> etree._ElementTree:
    """Parse ``data`` or raise ``UnsafeXml`` naming the file and line that is wrong."""
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeXml(filename, None, msg("err_file_larger_than_kib",
                                            value=MAX_FILE_BYTES // 1024))
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        line = data[: max(data.upper().find(b"<!DOCTYPE"), data.upper().find(b"<!ENTITY"))].count(
            b"\n") + 1
        raise UnsafeXml(filename, line, msg("err_doctype_entity_declarations_are_allowed"))
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=_PARSER))
    except etree.XMLSyntaxError as exc:
        raise UnsafeXml(filename, exc.lineno or None, msg("err_well_formed_xml",
                                                          msg=exc.msg)) from exc
    if tree.docinfo.doctype:
        raise UnsafeXml(filename, 1, msg("err_doctype_allowed"))
    for node in tree.iter():
        if isinstance(node, etree._Entity):
            raise UnsafeXml(filename, node.sourceline, msg("err_entity_references_are_allowed"))
    return tree
