"""The bench procedure on Node's bpmn-engine (bench/peers/bpmn_engine), when Node is here."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

from bench import emit
from bench.office import HERE

PEER = HERE / "peers" / "bpmn_engine"


def main(runs: int = 200) -> list[dict[str, Any]]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        figure = {"figure": "peer_bpmn_engine", "skipped": "Node.js is not installed"}
        return emit([figure])
    if not (PEER / "node_modules" / "bpmn-engine").exists():
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=PEER, check=True, timeout=300)
    out = subprocess.run([node, "run.js", str(runs)], cwd=PEER, check=True, timeout=600,
                         capture_output=True, text=True).stdout
    figures = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return emit(figures)
