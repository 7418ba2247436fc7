"""The layers are a contract: `make test` fails when a door reaches past the use cases or a
lower layer imports a higher one (the contracts are in pyproject.toml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = ("import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(no_cache=True, no_logo=True))")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """import-linter over the packages of ``tree`` with its pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([sys.executable, "-c", LINT], cwd=tree, env=env, text=True,
                          capture_output=True, timeout=300, check=False)


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the packages and the contracts, to break on purpose."""
    for package in ("engine", "api"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "static", "templates",
                                                      "node_modules"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("api/routers/reports.py", "import engine.store.reports", "call use cases only"),
    ("engine/cli_reports.py", "import engine.reports.statistics", "call use cases only"),
    ("engine/reports/staff.py", "import engine.service.office", "Layers"),
    ("engine/store/tables.py", "import engine.runtime.clock", "Layers"),
    ("engine/service/auditing.py", "import sqlalchemy", "SQLAlchemy"),
    ("engine/service/users.py", "import starlette.requests", "FastAPI or Starlette"),
])
def test_a_forbidden_import_breaks_its_contract(tree: Path, module: str, line: str,
                                                broken: str) -> None:
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n",
                    encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 broken" in result.stdout
    report = result.stdout.split("Broken contracts", 1)[1]
    importer = module.removesuffix(".py").replace("/", ".")
    assert broken in report and f"{importer} -> " in report
