"""Group commit on SQLite: the writers queued at one moment share one transaction.

SQLite lets one writer in at a time, and every write transaction pays for its BEGIN, its
COMMIT and, with ``synchronous=FULL``, a flush of the log to the disk. When writers queue
(a busy desk, the worker's batches), the first of them opens a transaction on a connection
kept for the group, runs its unit of work in a SAVEPOINT and, before committing, lets the
writers that queued meanwhile run theirs after it, each in its own SAVEPOINT, on the same
connection, one at a time. The first one then commits for all, and each member's
``commit()`` returns only after that commit: nobody is answered before their writes are as
durable as their own commit would have made them.

- A member whose unit of work fails rolls back to its savepoint: the others keep theirs.
- If the shared COMMIT fails, every member of the group gets the error: none was answered.
- The group is bounded (``MAX_MEMBERS``), so a steady stream of writers still commits.
- The leader holds the file's writer lock (``WriterQueue``) for the whole group, so other
  processes queue as they do for a single writer.
- A unit of work opened inside a member on the same thread is a savepoint inside it, and
  shares its fate.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from sqlalchemy.engine import Connection, Engine

from engine.store.writers import WriterQueue, busy

# Members of one group at most: the leader commits then, and those queued form the next.
MAX_MEMBERS = 32


class _Group:
    def __init__(self, conn: Connection, tx: Any) -> None:
        self.conn = conn
        self.tx = tx
        self.members = 1  # in it now
        self.size = 1  # ever joined
        self.waiting = 0  # writers queued for their turn in this group
        self.closed = False  # the leader is committing: newcomers form the next group
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.broken: BaseException | None = None  # a savepoint could not be undone


class GroupCommit:
    """The group of one SQLite file in this process."""

    def __init__(self, engine: Engine, writers: WriterQueue | None) -> None:
        self._engine = engine
        self._writers = writers
        self._state = threading.Condition(threading.Lock())
        self._turn = threading.Lock()  # one member's unit of work at a time
        self._group: _Group | None = None
        self._forming = False  # a writer is opening the next group: the others wait for it
        # Groups committed and the members they held (operations, benchmarks).
        self.groups = 0
        self.members = 0
        self._local = threading.local()

    def enter(self, timeout_s: float) -> Member:
        """A member's place: the shared connection, its turn taken, a savepoint open."""
        outer: Member | None = getattr(self._local, "member", None)
        if outer is not None:  # inside a member on this thread: a savepoint of its own
            return Member(self, outer.group, leader=False, nested_in=outer)
        deadline = time.monotonic() + timeout_s
        with self._state:
            while True:
                group = self._group
                if group is not None and not group.closed and group.members < MAX_MEMBERS:
                    group.members += 1
                    group.size += 1
                    group.waiting += 1
                    break
                if not self._forming:  # nobody is opening a group: this writer does
                    self._forming = True
                    group = None
                    break
                if not self._state.wait(deadline - time.monotonic()):
                    raise busy(timeout_s)
        if group is None:
            return self._lead(timeout_s)
        if not self._turn.acquire(timeout=max(0.0, deadline - time.monotonic())):
            with self._state:
                group.members -= 1
                group.size -= 1
                group.waiting -= 1
                self._state.notify_all()
            raise busy(timeout_s)
        with self._state:
            group.waiting -= 1
        return self._started(Member(self, group, leader=False))

    def _lead(self, timeout_s: float) -> Member:
        try:
            if self._writers is not None:
                self._writers.acquire(timeout_s)
            try:
                if not self._turn.acquire(timeout=timeout_s):
                    raise busy(timeout_s)
                try:
                    conn = self._engine.connect()
                    try:
                        conn.info["begin_mode"] = "IMMEDIATE"
                        tx = conn.begin()
                    except BaseException:
                        conn.close()
                        raise
                except BaseException:
                    self._turn.release()
                    raise
            except BaseException:
                if self._writers is not None:
                    self._writers.release()
                raise
        except BaseException:
            with self._state:
                self._forming = False
                self._state.notify_all()
            raise
        group = _Group(conn, tx)
        with self._state:
            self._group = group
            self._forming = False
            self._state.notify_all()
        return self._started(Member(self, group, leader=True))

    def _started(self, member: Member) -> Member:
        try:
            member.savepoint = member.group.conn.begin_nested()
        except BaseException as exc:
            member.group.broken = exc
            member.leave(committed=False)
            raise
        self._local.member = member
        return member

    # Called by members -------------------------------------------------------------------

    def _finish_turn(self, member: Member) -> None:
        self._local.member = None
        self._turn.release()

    def _commit_group(self, group: _Group) -> None:
        """The leader, its own unit done: wait for the queued members, then commit for all."""
        with self._state:
            self._state.wait_for(lambda: group.waiting == 0 and group.members == 1)
            group.closed = True
            if self._group is group:
                self._group = None
            self._state.notify_all()  # the writers waiting for a group open the next one
        try:
            if group.broken is not None:
                raise group.broken
            group.tx.commit()
            self.groups += 1
            self.members += group.size
        except BaseException as exc:
            group.error = exc
            # SQLite keeps a transaction whose COMMIT failed open: the connection is thrown
            # away rather than handed back to the pool in the middle of it.
            with contextlib.suppress(Exception):  # closing it below is all that is left
                group.conn.invalidate()
        finally:
            try:
                group.conn.close()
            finally:
                if self._writers is not None:
                    self._writers.release()
                group.done.set()

    def _member_left(self, group: _Group) -> None:
        with self._state:
            group.members -= 1
            self._state.notify_all()


class Member:
    """One unit of work in a group."""

    def __init__(self, committer: GroupCommit, group: _Group, leader: bool,
                 nested_in: Member | None = None) -> None:
        self.committer = committer
        self.group = group
        self.leader = leader
        self.nested_in = nested_in
        self.savepoint: Any = None
        self.left = False
        if nested_in is not None:
            self.savepoint = group.conn.begin_nested()

    @property
    def conn(self) -> Connection:
        return self.group.conn

    def commit(self) -> None:
        """Keep this member's writes and return once the group has committed them."""
        self.savepoint.commit()
        if self.nested_in is not None:
            self.left = True
            return
        self.leave(committed=True)
        if self.group.error is not None:
            raise self.group.error

    def leave(self, committed: bool) -> None:
        """End the member's turn: its savepoint undone unless ``committed``; the leader then
        commits the group, a follower waits for that."""
        if self.left:
            return
        self.left = True
        if not committed and self.savepoint is not None:
            try:
                if self.savepoint.is_active:
                    self.savepoint.rollback()
            except BaseException as exc:  # the shared transaction cannot go on
                self.group.broken = exc
        if self.nested_in is not None:
            return
        self.committer._finish_turn(self)
        if self.leader:
            self.committer._commit_group(self.group)
        else:
            self.committer._member_left(self.group)
            if committed:
                self.group.done.wait()
