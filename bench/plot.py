"""The figure in docs/performance.md: latency against database size, from bench/results.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "docs" / "performance-scale.png"
QUERIES = {"department_queue": "department queue", "dossier_by_code": "dossier by code",
           "timeline": "timeline", "search_by_name": "search by name",
           "search_by_id": "search by ID number"}


def draw(results: dict[str, Any], out: Path = OUT) -> Path | None:
    scale = [f for f in results.get("scale", []) if f.get("figure", "").startswith("scale_")]
    if not scale:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 4.2), dpi=110)
    styles = {"scale_sqlite": "-", "scale_postgresql": "--"}
    for figure in scale:
        database = figure["figure"].removeprefix("scale_")
        sizes = [p["dossiers"] for p in figure["points"]]
        for key, label in QUERIES.items():
            ax.plot(sizes, [p[key]["p50_ms"] for p in figure["points"]], marker="o",
                    linestyle=styles.get(figure["figure"], "-"), label=f"{label} ({database})")
    ax.set_xscale("log")
    ax.set_xlabel("dossiers in the database")
    ax.set_ylabel("median latency (ms)")
    ax.set_ylim(bottom=0)
    ax.set_title("Queries against database size (in-process use cases)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out
