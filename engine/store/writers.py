"""The writers of one SQLite file: queued on an OS file lock beside it, waiting no longer
than a bound."""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable

from engine.errors import Unavailable
from engine.i18n import msg
from engine.store.outage import away

log = logging.getLogger("motcua.store")

try:
    import fcntl
except ImportError:  # not POSIX: writers wait in SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]


def _open(path: str) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


class WriterQueue:
    """Writers of one SQLite file, queued on an OS file lock beside it.

    SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps
    1, 2, 5 … 100 ms between tries, so under load the lock sits free while they sleep and
    latencies jump by tens of milliseconds. Queued on ``flock`` instead, the next writer is
    woken by the kernel the moment the lock is released. Threads of a process queue on a
    lock of their own first, because a file lock belongs to the process. Re-entrant: a write
    transaction opened inside another on the same thread does not wait for itself.

    Every wait is bounded: a writer that cannot get in within ``timeout_s`` gets
    ``Unavailable``. Once one has waited that long the lock is *stuck*: the one thread of the
    process at the head of the queue still waits its bound (and is handed the lock the moment
    it is free), but the threads behind it are refused at once instead of each holding a
    server thread for the whole bound, since a full thread pool would stall the reads too.
    The lock stops being stuck as soon as anyone gets it or its holder lets go.
    """

    def __init__(self, path: str) -> None:
        self._path = f"{path}-writer.lock"
        self._lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None  # tried without waiting: one system call when free
        self._held: int | None = None  # the descriptor the process holds the lock on
        self._pid = 0
        self._taker: _Taker | None = None
        self.stuck = False

    def acquire(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        if not self._lock.acquire(timeout=0 if self.stuck else timeout_s):
            self._stuck(timeout_s)  # a thread of this process has held it the whole bound
            raise _busy(timeout_s)
        if self._depth == 0:
            try:
                self._take(deadline, timeout_s)
            except BaseException:
                self._lock.release()
                raise
        self._depth += 1

    def _take(self, deadline: float, timeout_s: float) -> None:
        if self._fd is None or self._pid != os.getpid():  # reopen after a fork
            try:
                self._fd, self._taker, self._pid = _open(self._path), None, os.getpid()
            except OSError as exc:  # the database's folder is gone or not writable
                raise away(f"cannot open {self._path}: {exc}") from exc
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._held = self._fd
            if self.stuck:
                self._freed()
            return
        except BlockingIOError:
            pass
        if self._taker is None:
            self._taker = _Taker(self._path, self._freed)
        if not self._taker.take(deadline - time.monotonic()):
            self._stuck(timeout_s)
            raise _busy(timeout_s)
        self._held = self._taker.fd
        self._freed()

    def _stuck(self, timeout_s: float) -> None:
        if not self.stuck:
            self.stuck = True
            log.warning("the SQLite writer lock %s was not had within %g s: writers are "
                        "refused until it is let go", self._path, timeout_s)

    def _freed(self) -> None:
        if self.stuck:
            self.stuck = False
            log.warning("the SQLite writer lock %s is free again", self._path)

    def release(self) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._held is not None:
                held, self._held = self._held, None
                fcntl.flock(held, fcntl.LOCK_UN)
                if self.stuck:
                    self._freed()
        finally:
            self._lock.release()


class _Taker:
    """A thread that waits in the kernel for the file lock for whichever thread asks.

    The asker can give up at its bound, and the kernel still hands the lock over the moment
    it is released; a loop of non-blocking tries would sleep through that moment and lose
    the race to the holder's process, whose next writer takes the lock without a pause. A
    lock taken after its asker gave up is released at once: its holder has let go, so the
    lock is not stuck any more.
    """

    def __init__(self, path: str, freed: Callable[[], None]) -> None:
        self.fd = _open(path)  # apart from the queue's: two descriptors lock like two processes
        self._freed = freed
        self._ready = threading.Condition(threading.Lock())
        self._asked = False
        self._given = False
        threading.Thread(target=self._run, daemon=True, name="motcua-writer-lock").start()

    def take(self, timeout_s: float) -> bool:
        """True when the lock is held on ``fd`` for the caller within ``timeout_s``."""
        with self._ready:
            self._asked = True
            self._ready.notify_all()
            given = self._ready.wait_for(lambda: self._given, max(0.0, timeout_s))
            self._asked = self._given = False
            return given

    def _run(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._asked)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            with self._ready:
                if self._asked:  # handed over: nobody asks again before it is released
                    self._asked, self._given = False, True
                    self._ready.notify_all()
                    continue
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            self._freed()


def busy(timeout_s: float) -> Unavailable:
    """The refusal of a writer that waited ``timeout_s`` for its turn."""
    return _busy(timeout_s)


def _busy(timeout_s: float) -> Unavailable:
    return Unavailable(msg("err_another_writer_has_held_database", timeout_s=timeout_s),
                       retry_after=math.ceil(timeout_s))


_QUEUES: dict[str, WriterQueue] = {}
_QUEUES_LOCK = threading.Lock()


def writer_queue(dialect: str, database: str | None) -> WriterQueue | None:
    """The queue of an SQLite file's writers (one per file in a process), or None."""
    if dialect != "sqlite" or fcntl is None:
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = os.path.realpath(database)
    with _QUEUES_LOCK:
        return _QUEUES.setdefault(path, WriterQueue(path))
