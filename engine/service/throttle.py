"""Abuse limits: sign-in lockouts, and quotas per client address for what anyone may call.

The counting is the ``limits`` library's, in the storage the ``rate_limit_storage`` setting
names (``memory://`` counts in each process, ``redis://…`` across every process that shares
it): sign-in failures in moving windows, which count exactly (a few entries per key), and
the quotas in sliding-window counters, which take constant room per key and may let a few
more through when a burst straddles two windows. This module decides what is counted under
which key and what happens at a limit. The doors pass the client address they determined (``None``
when there is none, e.g. the CLI), and the use cases call the checks below, so the API, the
web pages and any other door apply the same limits.

Sign-in: after ``sign_in_user_failures`` failures for one username (whatever the address),
or ``sign_in_address_failures`` from one address (whatever the usernames), that username or
address is locked: every sign-in is answered 429, the right password included, until the
lockout ends by itself. The k-th lockout of a day lasts ``lockout_seconds · 2^(k-1)``, at most
``lockout_max_seconds``. A successful sign-in clears its username's failures, never its
address's: one valid account must not reset the count of an address trying many others.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError, StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter

from engine.errors import TooManyRequests
from engine.i18n import Message, msg

log = logging.getLogger("motcua.throttle")

NAMESPACE = "motcua"
LOCKOUT_MEMORY_SECONDS = 24 * 3600  # how long earlier lockouts make the next one longer
USER = "user"
ADDRESS = "address"


@dataclass(frozen=True)
class ThrottleConfig:
    """The abuse-limit settings (``engine.settings``, block "Abuse limits"), as the engine
    takes them. Limits are ``limits`` strings, several joined by ``;``."""

    storage: str = "memory://"
    sign_in_user_failures: str = "5/15 minutes"
    sign_in_address_failures: str = "20/15 minutes"
    lockout_seconds: int = 60
    lockout_max_seconds: int = 3600
    filing: str = "10/hour;30/day"
    filing_max_bytes: int = 32 * 1024
    lookup: str = "60/minute;2000/day"
    rating: str = "20/hour"
    # Scans held for an online filing's review (written to the file store before the filing).
    scans: str = "20/hour;60/day"
    supplement: str = "60/hour"
    # A lost secret asked for again: per client address, and per dossier code (whoever asks;
    # small, as each attempt may send a message to the applicant).
    recovery: str = "10/hour;30/day"
    recovery_code: str = "3/hour;6/day"


@dataclass(frozen=True)
class Lockout:
    scope: str  # user | address
    who: str
    seconds: int


def _limits(name: str, text: str) -> list[RateLimitItem]:
    try:
        return parse_many(text)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc} (write e.g. '10/hour' or '10/hour;30/day')") from exc


def username_key(username: str) -> str:
    """One counter for every spelling of a name, so 'Admin' and 'admin' share failures."""
    return username.strip().casefold()


class Throttle:
    def __init__(self, config: ThrottleConfig | None = None) -> None:
        self.config = config = config or ThrottleConfig()
        if config.lockout_seconds < 1 or config.lockout_max_seconds < config.lockout_seconds:
            raise ValueError("sign_in_lockout_seconds must be at least 1 and at most "
                             "sign_in_lockout_max_seconds")
        if config.filing_max_bytes < 1:
            raise ValueError("public_filing_max_bytes must be at least 1")
        self._failures = {
            USER: _limits("sign_in_user_failures", config.sign_in_user_failures),
            ADDRESS: _limits("sign_in_address_failures", config.sign_in_address_failures)}
        self._quotas = {"filing": _limits("public_filing_limit", config.filing),
                        "lookup": _limits("public_lookup_limit", config.lookup),
                        "rating": _limits("public_rating_limit", config.rating),
                        "scans": _limits("public_scans_limit", config.scans),
                        "supplement": _limits("public_supplement_limit", config.supplement),
                        "recovery": _limits("public_recovery_limit", config.recovery),
                        "recovery_code": _limits("public_recovery_code_limit",
                                                 config.recovery_code)}
        # wrap_exceptions: a storage that is away raises StorageError, which we can catch.
        try:
            storage = storage_from_string(config.storage, wrap_exceptions=True)
        except ConfigurationError as exc:  # an unknown scheme, or its client not installed
            raise ValueError(f"rate_limit_storage: {exc}") from exc
        if not isinstance(storage, Storage):  # an async+… scheme: this code is synchronous
            raise ValueError(f"rate_limit_storage: {config.storage!r} is an asynchronous "
                             "storage; name the synchronous one (e.g. redis://…)")
        self.storage = storage
        try:
            self._exact = MovingWindowRateLimiter(storage)
        except NotImplementedError as exc:  # memcached keeps no moving windows
            raise ValueError(f"rate_limit_storage: {config.storage!r} cannot count sign-in "
                             "failures exactly; use memory://, redis://… or mongodb://…"
                             ) from exc
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    @property
    def shared(self) -> bool:
        """Whether other processes (servers, the CLI) see these counters: not in memory."""
        return not isinstance(self.storage, MemoryStorage)

    # ---- sign-in ------------------------------------------------------------------------

    def check_sign_in(self, username: str | None, address: str | None) -> None:
        """Refuse (429) while the username or the address is locked; before any password
        is checked, so the right one does not get in either."""
        with _fail_open():
            for scope, who in self._scopes(username, address):
                left = self._lock_left(scope, who)
                if left:
                    whose = msg("word_this_account" if scope == USER else "word_this_address")
                    raise TooManyRequests(
                        msg("err_too_many_failed_sign_ins", whose=whose, left=left),
                        retry_after=left)

    def sign_in_failed(self, username: str | None, address: str | None) -> list[Lockout]:
        """Count a failure; lock the username or address that reached its limit. Answers
        the lockouts it started (with their length)."""
        started: list[Lockout] = []
        with _fail_open():
            for scope, who in self._scopes(username, address):
                full = False
                for item in self._failures[scope]:
                    # Checked after the hit: the N-th failure of "N per window" locks.
                    if not self._exact.hit(item, NAMESPACE, "fail", scope, who) or \
                            not self._exact.test(item, NAMESPACE, "fail", scope, who):
                        full = True
                if full:
                    started.append(self._lock(scope, who))
        return started

    def signed_in(self, username: str) -> None:
        """A right password clears the username's failures (never its address's)."""
        with _fail_open():
            self._clear_failures(USER, username_key(username))

    def lockout_left(self, scope: str, who: str) -> int:
        """Seconds until the lockout of a username (its key) or an address ends; 0 if none."""
        with _fail_open():
            return self._lock_left(scope, who)
        return 0  # the storage is away: nothing is known to be locked

    def lift(self, scope: str, who: str) -> bool:
        """End a lockout now and forget the failures and earlier lockouts; whether one
        was running."""
        with _fail_open():
            running = self._lock_left(scope, who) > 0
            self.storage.clear(self._lock_key(scope, who))
            self.storage.clear(self._count_key(scope, who))
            self._clear_failures(scope, who)
            return running
        return False

    def _scopes(self, username: str | None, address: str | None) -> Iterator[tuple[str, str]]:
        if username:
            yield USER, username_key(username)
        if address:
            yield ADDRESS, address

    def _lock_key(self, scope: str, who: str) -> str:
        return f"{NAMESPACE}/lock/{scope}/{who}"

    def _count_key(self, scope: str, who: str) -> str:
        return f"{NAMESPACE}/lockouts/{scope}/{who}"

    def _lock_left(self, scope: str, who: str) -> int:
        key = self._lock_key(scope, who)
        if self.storage.get(key) <= 0:
            return 0
        return max(1, math.ceil(self.storage.get_expiry(key) - time.time()))

    def _lock(self, scope: str, who: str) -> Lockout:
        earlier = self.storage.incr(self._count_key(scope, who), LOCKOUT_MEMORY_SECONDS) - 1
        seconds = min(self.config.lockout_seconds * 2 ** min(earlier, 30),
                      self.config.lockout_max_seconds)
        key = self._lock_key(scope, who)
        self.storage.clear(key)  # a counter's expiry is set when it is created
        self.storage.incr(key, seconds)
        # The next lockout takes a full count of fresh failures again.
        self._clear_failures(scope, who)
        log.warning("sign-in locked for %s %s for %d s", scope, who, seconds)
        return Lockout(scope, who, seconds)

    def _clear_failures(self, scope: str, who: str) -> None:
        for item in self._failures[scope]:
            self._exact.clear(item, NAMESPACE, "fail", scope, who)

    # ---- what anyone may call, per address ----------------------------------------------

    def filing(self, address: str | None) -> None:
        """An online filing without an account."""
        self._take("filing", address, msg("word_online_filings"))

    def lookup(self, address: str | None) -> None:
        """A public lookup by dossier code."""
        self._take("lookup", address, msg("word_lookups"))

    def rating(self, address: str | None) -> None:
        """A rating attempt (each tries a receipt secret)."""
        self._take("rating", address, msg("word_ratings"))

    def scans(self, address: str | None) -> None:
        """Scans sent for an online filing's review: they are stored before it is filed."""
        self._take("scans", address, msg("online_word_scan_uploads"))

    def first_use(self, name: str, key: str, seconds: int) -> bool:
        """Whether ``key`` is used for the first time within ``seconds`` (a review sent once:
        a second click files nothing more). Counted in the quotas' storage, so every process
        sharing it agrees."""
        with _fail_open():
            return bool(self.storage.incr(f"{NAMESPACE}/once/{name}/{key}", seconds) == 1)
        return True

    def supplement(self, address: str | None) -> None:
        """An online supplement, or a look at what is missing (each tries a receipt
        secret)."""
        self._take("supplement", address, msg("sup_word_supplements"))

    def recovery(self, address: str | None, code: str) -> None:
        """A lost secret asked for again: counted per address and per dossier code, so
        neither many codes from one address nor one code from many addresses gets far."""
        self._take("recovery", address, msg("word_secret_recoveries"))
        self._take("recovery_code", code, msg("word_secret_recoveries"),
                   "err_too_many_for_this_dossier")

    def _take(self, name: str, address: str | None, what: Message,
              too_many: str = "err_too_many_from_address_most") -> None:
        """Count one call under ``address`` (or another key, e.g. a dossier code)."""
        if not address:
            return
        with _fail_open():
            for item in self._quotas[name]:
                if not self._limiter.hit(item, NAMESPACE, name, address):
                    reset = self._limiter.get_window_stats(item, NAMESPACE, name,
                                                           address).reset_time
                    wait = max(1, math.ceil(reset - time.time()))
                    raise TooManyRequests(msg(too_many, what=what, item=item, wait=wait),
                                          retry_after=wait)


@contextmanager
def _fail_open() -> Iterator[None]:
    """A limits storage that is away (Redis down) must not stop the office: the request
    goes on unthrottled, and the log says so."""
    try:
        yield
    except StorageError as exc:
        log.error("rate-limit storage unavailable, not throttling: %s", exc)
