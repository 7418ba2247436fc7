"""The cache behind claim and complete answers: dossier headers kept, procedure names aged."""

from __future__ import annotations

from engine.service.view_cache import ViewCache


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_headers_are_kept_and_names_expire() -> None:
    ticks = Ticks()
    cache = ViewCache(names_seconds=10, clock=ticks)
    assert cache.header(7) is None and cache.names() is None
    cache.remember({7: {"code": "000.00.20.H26-260303-0001", "procedure_key": "p",
                        "status": "processing"}}, {"p": "Thủ tục"})
    assert cache.header(7) == {"code": "000.00.20.H26-260303-0001", "procedure_key": "p"}
    assert cache.names() == {"p": "Thủ tục"}
    ticks.now += 10.5
    assert cache.names() is None
    assert cache.header(7) is not None  # a dossier's code and procedure never change


def test_a_deploy_forgets_the_names_and_a_full_cache_starts_again() -> None:
    cache = ViewCache(max_dossiers=2)
    cache.remember({1: {"code": "a", "procedure_key": "p"},
                    2: {"code": "b", "procedure_key": "p"}}, {"p": "x"})
    cache.forget_names()
    assert cache.names() is None
    cache.remember({3: {"code": "c", "procedure_key": "p"}})
    assert cache.header(3) is not None and cache.header(1) is None
