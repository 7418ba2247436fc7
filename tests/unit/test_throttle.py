"""The abuse limits as the engine keeps them: lockouts that grow, per-address quotas, lifting.

The counters are the ``limits`` library's, in its memory storage; lockout lengths are read
from what ``sign_in_failed`` started, so nothing here depends on how fast it runs.
"""

from __future__ import annotations

import pytest

from engine.bootstrap import throttle_config
from engine.errors import TooManyRequests
from engine.service.throttle import ADDRESS, USER, Throttle, ThrottleConfig
from engine.settings import Settings


def _throttle(**changes: object) -> Throttle:
    config = {"sign_in_user_failures": "3/minute", "sign_in_address_failures": "5/minute",
              "lockout_seconds": 60, "lockout_max_seconds": 200, **changes}
    return Throttle(ThrottleConfig(**config))  # type: ignore[arg-type]


def _fail(throttle: Throttle, times: int, username: str | None, address: str | None) -> list:
    started = []
    for _ in range(times):
        started += throttle.sign_in_failed(username, address)
    return started


def test_the_nth_failure_locks_the_username_and_the_right_password_waits_too() -> None:
    throttle = _throttle()
    assert _fail(throttle, 2, "justice", None) == []
    throttle.check_sign_in("justice", None)  # two failures: still free
    [lockout] = _fail(throttle, 1, "justice", None)
    assert (lockout.scope, lockout.who, lockout.seconds) == (USER, "justice", 60)
    with pytest.raises(TooManyRequests) as refused:
        throttle.check_sign_in("justice", "203.0.113.9")
    assert 1 <= refused.value.retry_after <= 60
    assert "this account" in refused.value.detail
    # Another spelling of the name is the same account's counter.
    with pytest.raises(TooManyRequests):
        throttle.check_sign_in("JUSTICE", None)
    throttle.check_sign_in("finance", "203.0.113.9")  # others are not affected


def test_each_further_lockout_lasts_twice_as_long_up_to_the_cap() -> None:
    throttle = _throttle()
    lengths = [lockout.seconds for lockout in _fail(throttle, 3 * 4, "urban", None)]
    assert lengths == [60, 120, 200, 200]


def test_failures_from_one_address_lock_it_for_every_username() -> None:
    throttle = _throttle()
    started = []
    for n in range(5):
        started += throttle.sign_in_failed(f"guess{n}", "198.51.100.7")
    assert [(x.scope, x.who) for x in started] == [(ADDRESS, "198.51.100.7")]
    with pytest.raises(TooManyRequests) as refused:
        throttle.check_sign_in("leader", "198.51.100.7")
    assert "this address" in refused.value.detail
    throttle.check_sign_in("leader", "198.51.100.8")


def test_a_right_password_clears_the_username_not_the_address() -> None:
    throttle = _throttle()
    _fail(throttle, 2, "justice", "198.51.100.7")
    _fail(throttle, 2, "nobody", "198.51.100.7")
    throttle.signed_in("justice")
    # The username starts again from nothing: two more failures do not lock it ...
    assert [x.scope for x in _fail(throttle, 1, "justice", "198.51.100.7")] == [ADDRESS]
    # ... but the address kept its four failures, so the fifth locked it.
    with pytest.raises(TooManyRequests):
        throttle.check_sign_in("finance", "198.51.100.7")


def test_lifting_ends_a_lockout_and_forgets_the_earlier_ones() -> None:
    throttle = _throttle()
    _fail(throttle, 6, "justice", None)  # two lockouts
    assert throttle.lockout_left(USER, "justice") > 60
    assert throttle.lift(USER, "justice") is True
    throttle.check_sign_in("justice", None)
    assert throttle.lockout_left(USER, "justice") == 0
    assert [x.seconds for x in _fail(throttle, 3, "justice", None)] == [60]
    assert throttle.lift(USER, "finance") is False


def test_quotas_per_address_refuse_with_a_wait_and_leave_other_addresses_alone() -> None:
    throttle = _throttle(filing="2/hour;3/day", lookup="3/hour", rating="1/day")
    throttle.filing("203.0.113.1")
    throttle.filing("203.0.113.1")
    with pytest.raises(TooManyRequests) as refused:
        throttle.filing("203.0.113.1")
    assert 1 <= refused.value.retry_after <= 3600
    assert "online filings" in refused.value.detail
    throttle.filing("203.0.113.2")
    for _ in range(3):
        throttle.lookup("203.0.113.1")  # lookups count apart from filings
    with pytest.raises(TooManyRequests):
        throttle.lookup("203.0.113.1")
    throttle.rating("203.0.113.1")
    with pytest.raises(TooManyRequests) as rated:
        throttle.rating("203.0.113.1")
    assert 1 <= rated.value.retry_after <= 24 * 3600  # within the daily window
    throttle.rating(None)  # no address known (the CLI): not counted


def test_the_settings_defaults_are_the_engines_and_bad_limits_are_named() -> None:
    assert throttle_config(Settings(_env_file=None)) == ThrottleConfig()
    with pytest.raises(ValueError, match="public_filing_limit"):
        Throttle(ThrottleConfig(filing="ten a day"))
    with pytest.raises(ValueError, match="sign_in_lockout_seconds"):
        Throttle(ThrottleConfig(lockout_seconds=120, lockout_max_seconds=60))
    with pytest.raises(ValueError, match="rate_limit_storage: unknown storage scheme"):
        Throttle(ThrottleConfig(storage="carrier-pigeon://loft"))
    assert Throttle().shared is False


def test_a_review_is_used_once_and_scans_have_their_own_quota() -> None:
    throttle = _throttle(scans="2/hour")
    assert throttle.first_use("review", "abc", 60)
    assert not throttle.first_use("review", "abc", 60)  # sent again: already used
    assert throttle.first_use("review", "other", 60)
    throttle.scans("203.0.113.5")
    throttle.scans("203.0.113.5")
    with pytest.raises(TooManyRequests):
        throttle.scans("203.0.113.5")
    throttle.filing("203.0.113.5")  # the filings' quota is another counter
