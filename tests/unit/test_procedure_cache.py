"""The procedure cache builds each version once, however many callers ask for it at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from engine.model import ProcedureVersion
from engine.runtime import procedures
from engine.runtime.procedures import LoadedProcedure, ProcedureCache
from tests.conftest import PROCESSES, definition_files

FILES = {name: data.decode() for name, data in definition_files(PROCESSES).items()}
THREADS = 16


def version(number: int, key: str) -> ProcedureVersion:
    return ProcedureVersion(id=number, key=key, version=1, sha256="0" * 64,
                            deployed_at=datetime(2026, 3, 3, tzinfo=UTC), deployed_by="designer",
                            meta={}, files=FILES)


def at_once(count: int, work: list[ProcedureVersion],
            cache: ProcedureCache) -> list[LoadedProcedure]:
    """``count`` threads released together by a barrier, thread i asking for work[i]."""
    barrier = threading.Barrier(count)
    got: list[LoadedProcedure | None] = [None] * count
    errors: list[BaseException] = []

    def ask(i: int) -> None:
        barrier.wait()
        try:
            got[i] = cache.get(work[i])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(g is not None for g in got)
    return [g for g in got if g is not None]


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The real ``load``, counted per version."""
    counted: list[int] = []
    real = procedures.load

    def counting(v: ProcedureVersion) -> LoadedProcedure:
        counted.append(v.id)
        return real(v)

    monkeypatch.setattr(procedures, "load", counting)
    return counted


def test_sixteen_first_callers_of_one_version_share_one_build(loads: list[int]) -> None:
    cache = ProcedureCache()
    one = version(1, "chung_thuc_ban_sao")
    got = at_once(THREADS, [one] * THREADS, cache)
    assert loads == [1]
    assert all(g is got[0] for g in got)
    assert cache.get(one) is got[0]
    assert loads == [1]


def test_different_versions_build_at_once_each_once(loads: list[int]) -> None:
    keys = ["chung_thuc_ban_sao", "dang_ky_ho_kinh_doanh", "dang_ky_khai_sinh",
            "cap_phep_xay_dung"]
    work = [version(1 + i % 4, keys[i % 4]) for i in range(THREADS)]
    got = at_once(THREADS, work, ProcedureCache())
    assert sorted(loads) == [1, 2, 3, 4]
    for i, loaded in enumerate(got):
        assert loaded.meta.key == keys[i % 4]
        assert loaded is got[i % 4]


def test_a_build_that_fails_is_tried_again_by_the_next_caller(loads: list[int]) -> None:
    cache = ProcedureCache()
    broken = version(7, "no_such_process")
    for _ in range(2):
        with pytest.raises(Exception, match="no_such_process"):
            cache.get(broken)
    assert loads == [7, 7]
