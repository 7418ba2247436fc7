"""What the engine says to people is a catalog id with parameters, never an English
sentence: the code is scanned for errors and problems raised with a plain string, and every
id the code names is checked against both catalogs."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from engine import errors
from engine.i18n.catalogs import LANGUAGES, _catalog

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
ERRORS = {name for name, cls in inspect.getmembers(errors, inspect.isclass)
          if issubclass(cls, errors.MotcuaError)}
# Where the sentence goes in each constructor (position, keyword); the rest take ``detail``.
MESSAGE_ARG = {"Problem": (3, "message"), "FormInvalid": (1, "message"),
               "UnsafeXml": (2, "reason")}


def _sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)


def _is_sentence(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _is_sentence(node.left) or _is_sentence(node.right)
    return False


def _plain_sentences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name not in ERRORS and name != "Problem":
            continue
        position, keyword = MESSAGE_ARG.get(name, (0, "detail"))
        arg = node.args[position] if len(node.args) > position else next(
            (k.value for k in node.keywords if k.arg == keyword), None)
        if arg is not None and _is_sentence(arg):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}({ast.unparse(arg)[:60]})")
    return found


def test_no_engine_error_or_problem_is_raised_with_a_plain_sentence() -> None:
    found = [line for path in _sources("engine") for line in _plain_sentences(path)]
    assert found == []


def test_the_scan_finds_a_plain_sentence(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('raise NotFound(f"no dossier {code}")\n'
                      'Problem(file, 1, "lane", "no department")\n'
                      'raise NotFound(msg("err_dossier_with_code", code=code))\n')
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert [line.split(": ", 1)[1] for line in _plain_sentences(sample)] == [
            "NotFound(f'no dossier {code}')", "Problem('no department')"]
    finally:
        ROOT = saved


def _ids_used() -> dict[tuple[str, str], set[str] | None]:
    """(id, where) -> the parameters passed (None when passed as ``**mapping``)."""
    used: dict[tuple[str, str], set[str] | None] = {}
    for path in _sources("engine", "api"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            # msg(id, …) anywhere; say(id, …) is the CLI's (engine.cli_lang.say)
            named = _called(node)
            first = node.args[0]
            if (named == "msg" or (named == "say" and path.name.startswith("cli"))) \
                    and isinstance(first, ast.Constant) and isinstance(first.value, str):
                keywords = {k.arg for k in node.keywords}
                params = None if None in keywords else {str(k) for k in keywords}
                used[(first.value, f"{path.relative_to(ROOT)}:{node.lineno}")] = params
    return used


def test_every_id_the_code_names_is_in_both_catalogs_with_its_parameters() -> None:
    used = _ids_used()
    keys = {key for key, _ in used}
    assert len(keys) > 150 and "cli_migrated" in keys  # the scan reads the code it is meant to
    wrong = []
    for (key, where), params in sorted(used.items()):
        for lang in LANGUAGES:
            text = _catalog(lang).get(key)
            if text is None:
                wrong.append(f"{where}: {key} missing in {lang}")
            elif params is not None and set(PLACEHOLDER.findall(text)) != params:
                wrong.append(f"{where}: {key} in {lang} wants "
                             f"{sorted(set(PLACEHOLDER.findall(text)))}, gets {sorted(params)}")
    assert wrong == []
