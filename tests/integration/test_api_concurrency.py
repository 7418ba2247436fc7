"""Two clerks at the same moment: exactly one wins, the other gets a clear 409."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import httpx
import pytest

from engine.audit.chain import dossier_chain
from engine.security import hash_password
from engine.service.demo import DEMO_PASSWORD
from tests.features.api_steps import ApiOffice
from tests.helpers import members

ROUNDS = 5


@pytest.fixture(scope="module")
def second_clerk(api: ApiOffice) -> str:
    """A second staff member of the justice office (the demo office has one)."""
    with api.office.db.unit_of_work() as uow:
        uow.org.upsert_user("justice2", "Ngô Thị Thu", hash_password(DEMO_PASSWORD), (),
                            members({"staff"}, {"TU_PHAP"}))
        uow.commit()
    return "justice2"


def _at_justice(api: ApiOffice) -> tuple[str, int]:
    code = api.submit()["code"]
    api.do_step(code, {"ket_qua_kiem_tra": "hop_le"})
    return code, api.current(code)["id"]


def _race(*calls: Callable[[], httpx.Response]) -> list[int]:
    """Run the calls in threads released together; their status codes, sorted."""
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(call: Callable[[], httpx.Response]) -> None:
        barrier.wait()
        status = call().status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(statuses)


def test_two_clerks_claiming_one_step_at_once(api: ApiOffice, second_clerk: str) -> None:
    first, second = api.new_client("justice"), api.new_client(second_clerk)
    try:
        for _ in range(ROUNDS):
            code, task_id = _at_justice(api)
            path = f"/tasks/{task_id}/claim"
            assert _race(partial(first.post, path), partial(second.post, path)) == [200, 409]
            step = api.current(code)
            assert step["status"] == "claimed"
            assert step["claimed_by"] in ("justice", second_clerk)
    finally:
        first.close()
        second.close()


def test_two_completes_of_one_step_at_once(api: ApiOffice) -> None:
    one, two = api.new_client("justice"), api.new_client("justice")
    body = {"data": {"ket_qua_xu_ly": "dat"}}
    try:
        for _ in range(ROUNDS):
            code, task_id = _at_justice(api)
            api.claim(task_id, "justice")
            path = f"/tasks/{task_id}/complete"
            statuses = _race(partial(one.post, path, json=body),
                             partial(two.post, path, json=body))
            assert statuses == [200, 409]
            # The dossier moved exactly one step: one signing step waits for the leader.
            assert api.current(code)["step_id"] == "Task_KyChungThuc"
            with api.office.db.unit_of_work(readonly=True) as uow:
                found = uow.dossiers.by_code(code)
                assert found is not None
                kinds = [e.kind for e in uow.audit.events(dossier_chain(found.id))]
            assert kinds.count("item_completed") == 2  # the desk's step and this one
    finally:
        one.close()
        two.close()
