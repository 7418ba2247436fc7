"""A database of any size that holds exactly what the engine writes.

1. A sample is made by the engine itself: ``engine.simulation.history.generate_history`` runs the
   four demo procedures through the real use cases on a hand-moved clock (dossiers received,
   claimed, completed, refused, apologised for, timers fired).
2. Its finished dossiers are then replicated: each copy gets a new id and code, its times
   moved back by whole multiples of three weeks (so working days stay working days), its work
   items new ids and task ids, and its audit events a new chain (``d:<new id>``) whose hashes
   are recomputed with ``engine.audit.chain.event_hash``, the function the engine uses, so
   ``motcua audit verify`` passes on the result. Times and the code inside event data are
   moved and renamed with the dossier.

Open dossiers are not copied: a bigger history should not mean a longer queue, or the
comparison would measure the queue, not the database.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from engine.audit.chain import GENESIS, dossier_chain, event_hash
from engine.calendar import WorkingCalendar
from engine.people import search_terms
from engine.runtime.clock import ManualClock
from engine.service import deploy
from engine.service.demo import FIRST_WARD, seed
from engine.service.office import Office
from engine.simulation.history import FAMILY, GIVEN, MIDDLE, generate_history
from engine.store import Database, bulk
from engine.store import search as search_index
from engine.store.migrate import upgrade

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
PROCESSES = Path(__file__).resolve().parent.parent / "processes"
FINISHED = ("resolved", "refused", "withdrawn")
SAMPLE_DAYS = 21
SHIFT = timedelta(days=SAMPLE_DAYS)  # three weeks: weekdays stay weekdays
SHIFTS = 17  # copies spread over 17 × 3 weeks, about a year before the sample
# The sample ends on Monday 2 March 2026, 17:30 in Hà Nội.
UNTIL = datetime(2026, 3, 2, 17, 30, tzinfo=LOCAL)
BATCH = 500
_TIME_KEYS = ("due_at", "counted_from", "previous_due_at", "new_due_at", "appointment_at",
              "original_due_at")


@dataclass
class Sample:
    dossiers: list[dict[str, Any]]
    items: dict[int, list[dict[str, Any]]]
    events: dict[int, list[dict[str, Any]]]
    changes: dict[int, list[dict[str, Any]]]
    total: int  # dossiers in the sample, open ones included
    copies_made: int = 0
    seqs: Counter[tuple[str, str]] = field(default_factory=Counter)  # (agency, day) → last


def demo_files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(PROCESSES.rglob("*"))
            if p.suffix in (".bpmn", ".dmn", ".json")}


def make_sample(url: str, per_day: float = 30.0, days: int = SAMPLE_DAYS,
                agency: str = FIRST_WARD) -> Office:
    """Migrate, seed, deploy the demo procedures and let the engine work ``days`` days in the
    unit ``agency``."""
    upgrade(url)
    office = Office(db=Database(url), agency_code=agency, clock=ManualClock(UNTIL),
                    calendar=WorkingCalendar.default())
    seed(office)
    deploy.deploy(office, demo_files(), "designer")
    generate_history(office, days=days, per_day=per_day, until=UNTIL)
    return office


def read_sample(office: Office, statuses: tuple[str, ...] = FINISHED) -> Sample:
    """The sample's dossiers in ``statuses`` (the finished ones unless told), with their rows."""
    with office.db.unit_of_work(readonly=True) as uow:
        every = bulk.rows(uow.conn, "dossiers")
        done = [d for d in every if d["status"] in statuses]
        ids = [d["id"] for d in done]
        items = _by_dossier(bulk.rows(uow.conn, "work_items", {"dossier_id": ids}))
        events = _by_dossier(bulk.rows(uow.conn, "audit_events", {"chain_id": ids}), "chain_id")
        changes = _by_dossier(bulk.rows(uow.conn, "due_date_changes", {"dossier_id": ids}))
    for chain in events.values():
        chain.sort(key=lambda e: e["seq"])
    return Sample(done, items, events, changes, len(every))


def _by_dossier(found: list[dict[str, Any]], key: str = "dossier_id"
                ) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in found:
        out.setdefault(row[key], []).append(row)
    return out


def grow(office: Office, sample: Sample, target: int,
         progress: Callable[[int], None] | None = None) -> int:
    """Add copies of the sample's finished dossiers until the database holds ``target``
    dossiers; returns how many it holds."""
    with office.db.unit_of_work(readonly=True) as uow:
        have = int(bulk.query(uow.conn, "SELECT count(*) FROM dossiers")[0][0])
    if have < target:
        start = have
        add_copies(office, sample, target - have, progress=(
            None if progress is None else lambda done: progress(start + done)))
        settle(office, sample)
    return max(have, target)


def add_copies(office: Office, sample: Sample, count: int, units: dict[str, str] | None = None,
               shifted: bool = True, progress: Callable[[int], None] | None = None) -> None:
    """Add ``count`` copies of the sample's dossiers (then ``settle``). ``units`` moves them
    to other units (agency code → agency code: the dossier, its code, its work items);
    ``shifted`` False keeps their times (open dossiers: the same queue in another unit)."""
    done = 0
    while done < count:
        with office.db.unit_of_work() as uow:
            ids = {t: bulk.max_id(uow.conn, t) for t in bulk.SEQUENCED}
            batch = _Batch(units or {})
            while done < count and len(batch.dossiers) < BATCH:
                source = sample.dossiers[sample.copies_made % len(sample.dossiers)]
                rounds = 1 + (sample.copies_made // len(sample.dossiers)) % SHIFTS
                batch.copy(sample, source, SHIFT * rounds if shifted else timedelta(0), ids)
                sample.copies_made += 1
                done += 1
            batch.write(uow)
            uow.commit()
        if progress is not None:
            progress(done)


def settle(office: Office, sample: Sample) -> None:
    """After copies: the code sequences they used, PostgreSQL's id sequences, statistics."""
    with office.db.unit_of_work() as uow:
        _sequences(uow, sample.seqs)
        bulk.advance_sequences(uow.conn)
        uow.commit()
    with office.db.unit_of_work() as uow:
        bulk.analyze(uow.conn)
        uow.commit()


@dataclass
class _Batch:
    units: dict[str, str]  # agency code in the sample → the copy's
    dossiers: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    search: list[dict[str, Any]] = field(default_factory=list)

    def copy(self, sample: Sample, source: dict[str, Any], shift: timedelta,
             ids: dict[str, int]) -> None:
        ids["dossiers"] += 1
        new_id = ids["dossiers"]
        received = source["received_at"] - shift
        day = f"{received.astimezone(LOCAL):%y%m%d}"
        agency = self._unit(source["agency_code"])
        sample.seqs[agency, day] += 1
        old_code, code = source["code"], f"{agency}-{day}-{sample.seqs[agency, day]:04d}"
        dossier = {**_moved(source, shift), "id": new_id, "code": code, "agency_code": agency,
                   "receiving_unit": self._unit(source["receiving_unit"]),
                   "resolving_unit": self._unit(source["resolving_unit"]),
                   "receipt_secret_hash": hashlib.sha256(os.urandom(16)).hexdigest(),
                   "applicant": applicant_of(new_id)}
        self.dossiers.append(dossier)
        self.search.append(search_index.entry(
            new_id, code, dossier["receiving_unit"], dossier["resolving_unit"],
            dossier["procedure_key"], search_terms(dossier["applicant"], dossier["data"])))
        item_ids: dict[int, int] = {}
        for item in sample.items.get(source["id"], []):
            ids["work_items"] += 1
            item_ids[item["id"]] = ids["work_items"]
            self.items.append({**_moved(item, shift), "id": ids["work_items"],
                               "dossier_id": new_id, "task_uuid": str(uuid.uuid4()),
                               "unit": self._unit(item["unit"])})
        for change in sample.changes.get(source["id"], []):
            ids["due_date_changes"] += 1
            self.changes.append({**_moved(change, shift), "id": ids["due_date_changes"],
                                 "dossier_id": new_id})
        chain, prev, seq = dossier_chain(new_id), GENESIS, 0
        for event in sample.events.get(source["id"], []):
            seq = event["seq"]
            at = event["at"] - shift
            data = _moved_data(event["data"], shift, old_code, code)
            work_item = item_ids.get(event["work_item_id"]) if event["work_item_id"] else None
            digest = event_hash(chain, seq, event["kind"], event["actor"], at, data, new_id,
                                work_item, prev)
            self.events.append({"chain_id": new_id, "seq": seq, "work_item_id": work_item,
                                "kind": event["kind"], "actor": event["actor"], "at": at,
                                "data": data, "hash": digest})
            prev = digest
        dossier.update(chain_seq=seq or None, chain_head=prev if seq else None)

    def _unit(self, agency: str) -> str:
        return self.units.get(agency, agency)

    def write(self, uow: Any) -> None:
        bulk.insert(uow.conn, "dossiers", self.dossiers)
        bulk.insert(uow.conn, "work_items", self.items)
        bulk.insert(uow.conn, "due_date_changes", self.changes)
        bulk.insert(uow.conn, "audit_events", self.events)
        search_index.put(uow.conn, self.search)


def applicant_of(dossier_id: int) -> dict[str, str]:
    """A copy's applicant of its own: a name from the simulation's lists, a citizen ID
    (Hà Nội, born 1960–1999) and a mobile number, all from the id, so searches for one
    person find few dossiers, as in an office."""
    n = dossier_id * 7919  # a prime: neighbours get unlike names
    name = (f"{FAMILY[n % len(FAMILY)]} {MIDDLE[(n // 31) % len(MIDDLE)]} "
            f"{GIVEN[(n // 331) % len(GIVEN)]}")
    return {"name": name,
            "id_number": f"001{n % 2}{60 + dossier_id % 40}{dossier_id % 1_000_000:06d}",
            "phone": f"09{dossier_id % 100_000_000:08d}"}


def _moved(row: dict[str, Any], shift: timedelta) -> dict[str, Any]:
    return {k: (v - shift if isinstance(v, datetime) else v) for k, v in row.items()}


def _moved_data(data: Any, shift: timedelta, old_code: str, code: str) -> Any:
    """Event data with its times moved and the dossier's code renamed, as the engine would
    have written them for the copy."""
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "code" and value == old_code:
            value = code
        elif key in _TIME_KEYS and isinstance(value, str):
            with suppress(ValueError):
                value = (datetime.fromisoformat(value) - shift).isoformat()
        out[key] = value
    return out


def _sequences(uow: Any, seqs: Counter[tuple[str, str]]) -> None:
    """The daily code sequences the copies used, per unit, as the engine keeps them."""
    existing = {(r[0], r[1]): r[2] for r in bulk.query(
        uow.conn, "SELECT agency_code, day, last_seq FROM dossier_sequences")}
    fresh = [{"agency_code": agency, "day": day, "last_seq": seq}
             for (agency, day), seq in seqs.items() if (agency, day) not in existing]
    for (agency, day), seq in seqs.items():
        if (agency, day) in existing and existing[agency, day] < seq:
            bulk.query(uow.conn, "UPDATE dossier_sequences SET last_seq = :s WHERE "
                       "agency_code = :a AND day = :d RETURNING day",
                       {"s": seq, "a": agency, "d": day})
    bulk.insert(uow.conn, "dossier_sequences", fresh)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
