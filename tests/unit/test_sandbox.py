"""The expression sandbox: every escape we know of is refused when compiled (at deploy) and
when run (a diagram that bypassed the deploy check), and budgets end runaway expressions."""

from __future__ import annotations

import os
import threading
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from engine.sandbox import Limits, check
from engine.sandbox.errors import LimitExceeded, NotAllowedInExpression, SandboxError
from engine.sandbox.guards import Budget, Guards
from engine.sandbox.script_engine import SandboxEnvironment, SandboxScriptEngine

ENV = SandboxEnvironment(Limits(), {})

# Escapes an attacker tries, each refused by the compiler under our policy.
ESCAPES = {
    "import": ("exec", "import subprocess\nsubprocess.check_output(['id'])"),
    "from import": ("exec", "from os import environ\nkey = environ['MOTCUA_SECRET_KEY']"),
    "__import__": ("eval", "__import__('os').environ"),
    "open": ("eval", "open('/etc/passwd').read()"),
    "subclasses": ("eval", "().__class__.__mro__[1].__subclasses__()"),
    "bases in a comprehension": ("eval", "[c for c in ().__class__.__bases__]"),
    "exec": ("eval", "exec('x = 1')"),
    "eval": ("eval", "eval('1 + 1')"),
    "compile": ("eval", "compile('1', 'f', 'eval')"),
    "getattr": ("eval", "getattr(1, 'real')"),
    "globals": ("eval", "globals()"),
    "vars": ("eval", "vars()"),
    "type": ("eval", "type(1)"),
    "format builtin": ("eval", "format(1, '>10')"),
    "str.format": ("eval", "'{0.__class__}'.format(1)"),
    "str.format_map": ("eval", "'{x.__globals__}'.format_map({'x': len})"),
    "function globals": ("eval", "(lambda: 0).__globals__"),
    "function code": ("eval", "(lambda: 0).__code__.co_consts"),
    "builtin self": ("eval", "len.__self__"),
    "generator frame": ("eval", "(x for x in []).gi_frame.f_back.f_globals"),
    "generator code": ("eval", "(x for x in []).gi_code"),
    "frame of a traceback": ("eval", "x.tb_frame"),
    "f-string dunder": ("eval", "f'{().__class__}'"),
    "f-string computed width": ("eval", "f'{1:>{n}}'"),
    "f-string huge width": ("eval", "f'{1:>999999999}'"),
    "class definition": ("exec", "class A:\n    pass"),
    "try swallows the budget": ("exec", "while True:\n    try:\n        x = 1\n    except:\n"
                                        "        pass"),
    "with": ("exec", "with x:\n    pass"),
    "global": ("exec", "def f():\n    global y\n    y = 1"),
    "generator function": ("exec", "def f():\n    yield 1"),
    "overwriting a guard": ("exec", "_getattr_ = None"),
    "builtins": ("eval", "__builtins__"),
    "walrus onto a guard": ("eval", "(_write_ := 1)"),
    "breakpoint": ("eval", "breakpoint()"),
    "decimal class internals": ("eval", "Decimal.__new__"),
    "date class attribute": ("eval", "date.resolution"),
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_each_escape_is_refused_at_compile_time(name: str) -> None:
    mode, source = ESCAPES[name]
    refusals = check(source, mode)  # type: ignore[arg-type]
    assert refusals, f"{name} compiled"
    assert all(r.line >= 1 and r.message for r in refusals)


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_each_escape_fails_safely_at_run_time(name: str, tmp_path: Any) -> None:
    mode, source = ESCAPES[name]
    context: dict[str, Any] = {"x": 1, "n": 10**9}
    with pytest.raises(NotAllowedInExpression):
        if mode == "eval":
            ENV.evaluate(source, context)
        else:
            ENV.execute(source, context)
    assert context == {"x": 1, "n": 10**9}  # nothing was written


def test_the_secret_cannot_be_read_nor_a_file_written(tmp_path: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_SECRET_KEY", "do-not-leak")
    target = tmp_path / "pwned"
    attempts = [
        f"import subprocess\nsubprocess.check_output(['touch', '{target}'])",
        f"open('{target}', 'w').write('x')",
        "leak = __import__('os').environ['MOTCUA_SECRET_KEY']",
    ]
    for source in attempts:
        context: dict[str, Any] = {}
        with pytest.raises(SandboxError):
            ENV.execute(source, context)
        assert "do-not-leak" not in repr(context)
    assert not target.exists()


@pytest.mark.parametrize("source", [
    "(lambda: 0).count",     # an attribute allowed on strings, read from a function
    "x.split",               # from a number
    "date.today.count",      # from a builtin method
])
def test_attributes_are_allowed_by_the_kind_of_value(source: str) -> None:
    assert check(source, "eval") == []
    with pytest.raises(NotAllowedInExpression, match="not allowed"):
        ENV.evaluate(source, {"x": 1})


def test_task_data_cannot_replace_the_guards() -> None:
    """An applicant's form may carry any key; the guards still run."""
    context = {"_getattr_": "boom", "_getiter_": "boom", "__builtins__": {"open": open}}
    assert ENV.evaluate("'a'.upper()", dict(context)) == "A"
    with pytest.raises(NotAllowedInExpression):
        ENV.evaluate("x.__class__", {**context, "x": 1})


BUDGETS = {
    "endless loop": ("exec", "while True:\n    pass"),
    "endless loop in a function": ("exec", "def f():\n    while True:\n        pass\nf()"),
    "exponential lambda recursion": ("exec", "f = lambda n: 1 if n == 0 else f(n - 1) + "
                                             "f(n - 1)\nr = f(60)"),
    "exponential def recursion": ("exec", "def f(n):\n    return 1 if n == 0 else f(n - 1) + "
                                          "f(n - 1)\nr = f(60)"),
    "huge string": ("eval", "'x' * 10**10"),
    "huge list": ("eval", "[0] * 10**9"),
    "doubling string": ("exec", "s = 'ab'\nfor i in range(60):\n    s = s + s"),
    "doubling in place": ("exec", "s = 'ab'\nfor i in range(60):\n    s += s"),
    "doubling list": ("exec", "l = [1]\nfor i in range(60):\n    l.extend(l)"),
    "huge power": ("eval", "10**10**10"),
    "huge shift": ("eval", "1 << 10**9"),
    "huge range": ("eval", "list(range(10**9))"),
    "nested comprehension": ("eval", "[[0] * 1000 for i in range(10**5)]"),
    "generator consumed in C": ("eval", "sum(x for x in range(10**6) for y in range(10**6))"),
    "padding": ("eval", "'a'.ljust(10**9)"),
    "replace empty": ("eval", "('a' * 1000).replace('', 'x' * 1000)"),
    "join": ("eval", "('x' * 100000).join(['a'] * 100)"),
    "quadratic sum of lists": ("eval", "sum([[1]] * 1000, [])"),
    "percent formatting": ("eval", "'%0999999999d' % 1"),
    "percent formatting of bytes": ("eval", "b'%0999999999d' % 1"),
    "huge bytes": ("eval", "b'x' * 10**10"),
    # Each of these took the interpreter most of a minute, in C, before it was guarded.
    "int of a huge decimal": ("eval", "int(Decimal('1e999999'))"),
    "round of a huge decimal": ("eval", "round(Decimal('1e999999'))"),
    "repeated squaring": ("exec", "x = 3\nfor i in range(30):\n    x = x * x"),
}


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_budgets_end_runaway_expressions(name: str) -> None:
    mode, source = BUDGETS[name]
    assert check(source, mode) == []  # legal Python the policy lets through
    env = SandboxEnvironment(Limits(time_ms=100), {})
    with pytest.raises(SandboxError):
        if mode == "eval":
            env.evaluate(source, {})
        else:
            env.execute(source, {})


def test_an_endless_loop_ends_on_another_thread_too() -> None:
    """Budgets are per evaluation, not per process: a server thread is stopped as well."""
    env = SandboxEnvironment(Limits(time_ms=50), {})
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            env.execute("while True:\n    x = 1", {})
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert isinstance(outcome[0], LimitExceeded)


def test_one_use_case_shares_its_budget_across_evaluations() -> None:
    engine = SandboxScriptEngine(Limits(time_ms=1000, step_ms=60))
    env = engine.environment
    with engine.step(), pytest.raises(LimitExceeded):
        for _ in range(1000):
            env.execute("i = 0\nwhile i < 10**9:\n    i += 1", {})


def test_a_loop_of_automatic_steps_is_capped() -> None:
    engine = SandboxScriptEngine(Limits(engine_tasks=5))
    with engine.step() as step, pytest.raises(LimitExceeded, match="loops without"):
        for _ in range(6):
            step.count()


WHAT_PROCEDURES_WRITE = [
    ("eval", "phi_mot_ban * copies", {"phi_mot_ban": 2000, "copies": 3}, 6000),
    ("eval", "ket_qua == 'tu_choi'", {"ket_qua": "tu_choi"}, True),
    ("eval", "'P1D'", {}, "P1D"),
    ("eval", "round(dien_tich * 1.5, 1)", {"dien_tich": 85.5}, 128.2),
    ("eval", "max(0, min(copies, 10))", {"copies": 12}, 10),
    ("eval", "sorted(set(tags))", {"tags": ["b", "a", "b"]}, ["a", "b"]),
    ("eval", "Decimal('85.5') * 2", {}, Decimal("171.0")),
    ("eval", "(date(2026, 3, 3) + timedelta(days=2)).isoformat()", {}, "2026-03-05"),
    ("eval", "f'{so_ban} bản, {phi:,} đồng'", {"so_ban": 2, "phi": 4000}, "2 bản, 4,000 đồng"),
    ("eval", "f'{date(2026, 3, 1):%d/%m/%Y}'", {}, "01/03/2026"),
    ("eval", "any(d['loai'] == 'cmnd' for d in giay_to)", {"giay_to": [{"loai": "cmnd"}]},
     True),
    ("eval", "', '.join(x.strip().title() for x in ten.split(','))", {"ten": "an, binh"},
     "An, Binh"),
    ("eval", "len([c for c in ma if c.isdigit()])", {"ma": "a1b2"}, 2),
    ("eval", "sum(p['so_trang'] for p in ban_sao)", {"ban_sao": [{"so_trang": 3}]}, 3),
    ("eval", "{k: v for k, v in zip('ab', range(2))}", {}, {"a": 0, "b": 1}),
    ("eval", "dict(a=1).get('b', 0)", {}, 0),
    ("eval", "isinstance(copies, int) and not isinstance(ten, (int, float))",
     {"copies": 2, "ten": "An"}, True),
    ("eval", "int('12') + int(Decimal('3.7')) + round(Decimal('2.5'))", {}, 17),
]


@pytest.mark.parametrize(("mode", "source", "context", "expected"), WHAT_PROCEDURES_WRITE)
def test_what_procedures_need_still_works(mode: str, source: str, context: dict[str, Any],
                                          expected: Any) -> None:
    assert ENV.evaluate(source, dict(context)) == expected


def test_a_script_writes_data_and_leaves_functions_out() -> None:
    context: dict[str, Any] = {"copies": 3, "old": 1}
    ENV.execute("def phi(n):\n    return 2000 * n\nfee = phi(copies)\nitems = []\n"
                "items.append(fee)\nd = {}\nd['k'] = 1\ndel old\nlazy = (x for x in items)\n"
                "a, b = 1, 2\ntotal = a + b\nprint(total)", context)
    assert context == {"copies": 3, "fee": 6000, "items": [6000], "d": {"k": 1}, "a": 1,
                       "b": 2, "total": 3}


def test_helpers_are_callable_by_name() -> None:
    env = SandboxEnvironment(Limits(), {"twice": lambda n: 2 * n})
    assert env.evaluate("twice(x)", {"x": 4}) == 8


def test_a_normal_step_costs_little() -> None:
    """Not a timing target (that is bench/): checks the compile cache is used, so a repeated
    expression is not compiled again."""
    source = "phi_mot_ban * copies + len(str(copies))"
    ENV.evaluate(source, {"phi_mot_ban": 1, "copies": 1})
    from engine.sandbox import policy

    before = len(policy._CACHE._items)
    for _ in range(100):
        ENV.evaluate(source, {"phi_mot_ban": 1, "copies": 1})
    assert len(policy._CACHE._items) == before


def test_budget_counts_items_and_time() -> None:
    budget = Budget(Limits(size=10), time.perf_counter() + 60, "the test")
    guards = Guards(budget)
    assert list(guards.getiter(range(5))) == [0, 1, 2, 3, 4]
    with pytest.raises(LimitExceeded, match="builds too much"):
        list(guards.getiter(range(20)))
    late = Budget(Limits(), time.perf_counter() - 1, "the test")
    with pytest.raises(LimitExceeded, match="out of time"):
        late.tick()


def test_dates_today_and_strftime_work_without_import() -> None:
    assert ENV.evaluate("date.today().year", {}) == date.today().year
    assert "PATH" not in repr(ENV.evaluate("date(2026, 1, 2).strftime('%Y')", {}))
    assert os.environ  # the process environment stays where it is


def test_working_day_helpers_use_the_office_calendar() -> None:
    """30 April and 1 May 2026 are holidays (Thursday, Friday), then a weekend."""
    from engine.calendar import WorkingCalendar
    from engine.runtime.scripting import office_script_engine

    env = office_script_engine(WorkingCalendar.default()).environment
    assert env.evaluate("working_days_between('2026-04-29', date(2026, 5, 4))", {}) == 1
    assert env.evaluate("add_working_days(date(2026, 4, 29), 1)", {}) == date(2026, 5, 4)
    assert env.evaluate("is_working_day('2026-05-01')", {}) is False
    assert env.evaluate("next_working_day(ngay)", {"ngay": date(2026, 4, 29)}) == \
        date(2026, 5, 4)
    with pytest.raises(LimitExceeded):
        env.evaluate("add_working_days(date(2026, 1, 1), 10**6)", {})
    with pytest.raises(NotAllowedInExpression, match="needs a date"):
        env.evaluate("is_working_day(3)", {})


def test_now_and_today_read_the_use_cases_clock() -> None:
    # A step replayed from the audit chain must read the moment it first ran.
    from datetime import UTC, datetime, timedelta, timezone

    from engine.runtime.clock import ManualClock, clock_scope

    moment = datetime(2025, 7, 1, 1, 30, tzinfo=UTC)
    hanoi = timezone(timedelta(hours=7))
    with clock_scope(ManualClock(moment)):
        assert ENV.evaluate("datetime.now(tz)", {"tz": hanoi}) == moment
        assert ENV.evaluate("datetime.now(tz).hour", {"tz": hanoi}) == 8
        assert ENV.evaluate("date.today()", {}) == datetime.fromtimestamp(
            moment.timestamp()).date()
    assert ENV.evaluate("datetime.now(tz).year", {"tz": hanoi}) >= 2026  # the wall clock
