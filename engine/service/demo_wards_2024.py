"""Every ward of Quận Hà Đông as it stood in 2024, each with its own one-stop desk.

``seed_before_the_reform`` gives two of the seventeen wards (Phú La, Quang Trung) a desk and
people; the 2024 seed report counts all of them, so ``seed_wards_2024`` adds the other
fifteen the same way: the departments of ``FORMER_WARD_DEPARTMENTS`` and a reception clerk,
a justice officer and a leader, ``<role>.<ward>`` (``reception.vanquan``; ``…cu`` where
today's ward of the same name has the plain name), password ``demo``.
The wards, their codes and agency codes are read from the units list (``ha_noi.csv``).
The people's names are made up, the same on every run.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from engine.model import Membership, UnitLevel
from engine.security import hash_password
from engine.service import demo
from engine.service.demo_history import (
    DISTRICT,
    FORMER_WARD_DEPARTMENTS,
    FORMER_WARDS,
    REFORM_DAY,
    seed_before_the_reform,
)
from engine.service.office import Office
from engine.units import read_units

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương",
           "Đinh", "Lương", "Tạ", "Kiều", "Phùng", "Hà")
_MIDDLE = ("Thị", "Văn", "Minh", "Thị", "Đức", "Thanh", "Quốc")
_GIVEN = ("Hà", "Nam", "Lan", "Sơn", "Thủy", "Khoa", "Hiền", "Tùng", "Oanh", "Phúc", "Ngân",
          "Quân", "Thư", "Việt", "Hằng", "Tiến", "Nhàn")
_ROLES = (("reception", "staff", "MOT_CUA"), ("justice", "staff", "TU_PHAP"),
          ("leader", "leader", None))


@dataclass(frozen=True)
class Ward2024:
    agency: str
    code: str  # the national administrative-unit code
    slug: str
    name: str  # without "Phường"


def wards_2024() -> tuple[Ward2024, ...]:
    """The district's wards on the last day before the reform, in the order of their codes."""
    units = read_units(demo.UNITS_FILE, demo.units_text())
    district = next(u for u in units if u.agency_code == DISTRICT)
    day = REFORM_DAY - timedelta(days=1)
    found = [u for u in units if u.parent == district.code and u.level == UnitLevel.COMMUNE
             and u.valid_on(day)]
    taken = {w.slug for w in demo.WARDS}
    wards = []
    for unit in sorted(found, key=lambda u: u.code):
        name = unit.name.removeprefix("Phường ")
        slug = _slug(name)
        # Four wards of today bear former wards' names; their people are already
        # ``reception.yennghia`` and so on, so the former ward's are ``….yennghiacu`` (cũ).
        if slug in taken:
            slug += "cu"
        wards.append(Ward2024(unit.agency_code, unit.code, slug, name))
    return tuple(wards)


def ward_people() -> list[demo.DemoUser]:
    """The reception clerk, justice officer and leader of each ward not already seeded."""
    known = {w.agency for w in FORMER_WARDS}
    people = []
    for index, ward in enumerate(w for w in wards_2024() if w.agency not in known):
        for offset, (word, role, department) in enumerate(_ROLES):
            n = index * len(_ROLES) + offset
            full = (f"{_FAMILY[n % len(_FAMILY)]} {_MIDDLE[n % len(_MIDDLE)]} "
                    f"{_GIVEN[(n * 5) % len(_GIVEN)]}")
            people.append(demo.DemoUser(f"{word}.{ward.slug}", full, frozenset(),
                                        (Membership(ward.agency, department,
                                                    frozenset({role})),)))
    return people


def seed_wards_2024(office: Office) -> None:
    """The organisation before the reform (``seed_before_the_reform``) and a desk and people
    at each of the district's seventeen wards; idempotent."""
    seed_before_the_reform(office)
    hashed = hash_password(demo.DEMO_PASSWORD)
    with office.db.unit_of_work() as uow:
        for ward in wards_2024():
            for code, pattern in FORMER_WARD_DEPARTMENTS.items():
                uow.org.upsert_department(code, pattern.format(ward=ward.name), ward.agency)
        for person in ward_people():
            uow.org.upsert_user(person.username, person.full_name, hashed, person.system_roles,
                                person.memberships)
        uow.commit()
    office.forget_units()


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if c.isascii() and c.isalnum()).lower()
