"""The budgets of expressions: how long one may run, how long all of one use case may run,
and how much one may build."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    # One evaluation (a script, a condition, a DMN cell).
    time_ms: int = 200
    # Every evaluation of one use case together (a submit, a complete, a timer firing): on
    # SQLite this bounds how long a step can hold the office's writer lock.
    step_ms: int = 2000
    # Items one evaluation may build: characters of strings, entries of lists and dicts,
    # turns of loops. A million is far above any fee table or form.
    size: int = 1_000_000
    # Engine tasks (scripts, gateways, events) one use case may run: a loop of automatic
    # steps with no person in it would otherwise never end.
    engine_tasks: int = 10_000
    # The largest integer an expression may compute, in bits (about 30,000 decimal digits).
    int_bits: int = 100_000
