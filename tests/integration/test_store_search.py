"""The search index on SQLite (FTS5) and PostgreSQL (pg_trgm): each key, folded names, the
reader's scope, and the migration that fills it for dossiers received before it."""

from __future__ import annotations

from alembic import command

from engine.model import User
from engine.people import parse_query
from engine.service import dossiers
from engine.service.office import Office
from engine.store.migrate import alembic_config

COPY = {"pages": 2, "copies": 1, "ten_giay_to": "Giấy khai sinh"}
WARD, OTHER_WARD = "000.00.81.H26", "000.00.82.H26"


def _file(office: Office, users: dict[str, User], name: str, id_number: str,
          phone: str) -> str:
    return dossiers.submit(office, "chung_thuc_ban_sao",
                           {"name": name, "id_number": id_number, "phone": phone},
                           "direct", COPY, users["reception"]).code


def _found(office: Office, q: str, units: frozenset[str] | None = None) -> list[str]:
    with office.db.unit_of_work(readonly=True) as uow:
        found, total = uow.dossiers.search(wanted=parse_query(q), units=units, limit=200)
    assert total == len(found)
    return sorted(d.code for d in found)


def test_each_key_finds_its_dossier(office: Office, users: dict[str, User]) -> None:
    an = _file(office, users, "Nguyễn Văn An", "001085012345", "0912345678")
    dao = _file(office, users, "Đặng Thị Đào", "079203004567", "+84 356 123 456")
    assert _found(office, "nguyen van an") == [an]
    assert _found(office, "NGUYỄN VĂN AN") == [an]
    assert _found(office, "dang dao") == [dao]  # đ folds to d
    assert _found(office, "Đặng") == [dao]
    assert _found(office, "th") == [dao]  # a word's beginning
    assert _found(office, "hi") == []  # not the middle of a word
    assert _found(office, "001085012345") == [an]
    assert _found(office, "0356123456") == [dao]  # kept normalised from +84
    assert _found(office, "0356 123 456") == [dao]
    assert _found(office, an) == [an]
    assert _found(office, an[:-2]) == sorted([an, dao])  # the code's beginning
    assert _found(office, "van an dang") == []  # every word must be found
    assert _found(office, "") == sorted([an, dao])  # no search: no filter


def test_the_search_keeps_to_the_readers_units(office: Office, users: dict[str, User]) -> None:
    an = _file(office, users, "Nguyễn Văn An", "001085012345", "0912345678")
    assert _found(office, "an", units=frozenset({WARD})) == [an]
    assert _found(office, "an", units=frozenset({OTHER_WARD})) == []


def test_the_migration_indexes_the_dossiers_received_before_it(
        office: Office, users: dict[str, User], database_url: str) -> None:
    an = _file(office, users, "Nguyễn Văn An", "001085012345", "0912345678")
    config = alembic_config(database_url)
    command.downgrade(config, "0012")
    command.upgrade(config, "head")
    assert _found(office, "nguyen an") == [an]
    assert _found(office, "0912345678") == [an]
    later = _file(office, users, "Lê Văn An", "001085099999", "0912000999")
    assert _found(office, "an") == sorted([an, later])
