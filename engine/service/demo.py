"""The demo organisation: Hà Nội after the 1 July 2025 reform. The city's Public
Administration Service Centre and one city department, and five wards of former Quận Hà Đông,
each with its own one-stop desk, departments, staff, leader and auditor; a city inspector
reads them all.

The original demo usernames (reception, justice, finance, urban, leader, auditor) work in
the first ward, Phường Hà Đông; the other wards' people are ``<role>.<ward>``
(``reception.duongnoi``), the city's ``reception.city``, ``justice.city`` and ``inspector``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from engine.model import Membership
from engine.security import hash_password
from engine.service.office import Office
from engine.units import read_units

UNITS_FILE = "ha_noi.csv"
CITY = "000.00.00.H26"  # Thành phố Hà Nội
FIRST_WARD = "000.00.81.H26"  # Phường Hà Đông


@dataclass(frozen=True)
class Ward:
    agency: str
    slug: str  # in the usernames of its people
    name: str


WARDS = (
    Ward(FIRST_WARD, "", "Hà Đông"),
    Ward("000.00.82.H26", "duongnoi", "Dương Nội"),
    Ward("000.00.83.H26", "yennghia", "Yên Nghĩa"),
    Ward("000.00.84.H26", "kienhung", "Kiến Hưng"),
    Ward("000.00.85.H26", "phuluong", "Phú Lương"),
)

# Department codes are the procedures' lane names; each ward has its own of each.
WARD_DEPARTMENTS = {
    "MOT_CUA": "Trung tâm Phục vụ hành chính công phường {ward}",
    "TU_PHAP": "Văn phòng HĐND và UBND phường {ward} (tư pháp – hộ tịch)",
    "TC_KH": "Phòng Kinh tế, Hạ tầng và Đô thị phường {ward} (kinh tế)",
    "QLDT": "Phòng Kinh tế, Hạ tầng và Đô thị phường {ward} (xây dựng)",
    "LANH_DAO": "Lãnh đạo UBND phường {ward}",
}
CITY_DEPARTMENTS = {
    "MOT_CUA": "Trung tâm Phục vụ hành chính công thành phố Hà Nội",
    "TU_PHAP": "Sở Tư pháp thành phố Hà Nội",
}

# A ward's people: role word in the username, full name by ward, roles, department (None:
# the whole ward).
_WARD_PEOPLE: tuple[tuple[str, str, str | None], ...] = (
    ("reception", "staff", "MOT_CUA"),
    ("justice", "staff", "TU_PHAP"),
    ("finance", "staff", "TC_KH"),
    ("urban", "staff", "QLDT"),
    ("leader", "leader", None),
    ("auditor", "auditor", None),
)
_NAMES = {
    "": ("Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thị Hoa", "Phạm Quốc Huy", "Đỗ Văn Thành",
         "Vũ Thị Mai"),
    "duongnoi": ("Bùi Thị Hằng", "Đặng Văn Long", "Hồ Thị Thu", "Ngô Đức Anh",
                 "Dương Văn Hải", "Lý Thị Ngọc"),
    "yennghia": ("Trịnh Thị Yến", "Mai Văn Tuấn", "Đinh Thị Hương", "Tạ Quang Vinh",
                 "Lương Văn Sơn", "Phan Thị Hạnh"),
    "kienhung": ("Cao Thị Liên", "Hoàng Văn Dũng", "Kiều Thị Nga", "Lại Văn Phúc",
                 "Chu Văn Khánh", "Đoàn Thị Thảo"),
    "phuluong": ("Nghiêm Thị Vân", "Văn Đức Thắng", "Quách Thị Loan", "Tô Minh Khoa",
                 "Hà Văn Bình", "Vương Thị Dung"),
}
DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    system_roles: frozenset[str]
    memberships: tuple[Membership, ...]


def _membership(unit: str, role: str, department: str | None) -> Membership:
    return Membership(unit, department, frozenset({role}))


def demo_users() -> list[DemoUser]:
    people = []
    for ward in WARDS:
        for (word, role, department), full_name in zip(_WARD_PEOPLE, _NAMES[ward.slug],
                                                       strict=True):
            username = f"{word}.{ward.slug}" if ward.slug else word
            people.append(DemoUser(username, full_name, frozenset(),
                                   (_membership(ward.agency, role, department),)))
    people += [
        DemoUser("reception.city", "Nguyễn Văn Hùng", frozenset(),
                 (_membership(CITY, "staff", "MOT_CUA"),)),
        DemoUser("justice.city", "Trần Thị Phương", frozenset(),
                 (_membership(CITY, "staff", "TU_PHAP"),)),
        DemoUser("inspector", "Lê Minh Đức", frozenset(), (_membership(CITY, "auditor", None),)),
        DemoUser("designer", "Hoàng Văn Nam", frozenset({"designer"}), ()),
        DemoUser("admin", "Quản trị hệ thống", frozenset({"admin"}), ()),
    ]
    return people


USERS = [u.username for u in demo_users()]


def units_text() -> str:
    return resources.files("engine").joinpath("units_data", UNITS_FILE).read_text("utf-8")


def seed(office: Office) -> None:
    """Idempotent: running it again resets the demo units, departments and users (their
    roles and the password)."""
    units = read_units(UNITS_FILE, units_text())
    with office.db.unit_of_work() as uow:
        uow.units.replace_all(units)
        for code, name in CITY_DEPARTMENTS.items():
            uow.org.upsert_department(code, name, CITY)
        for ward in WARDS:
            for code, pattern in WARD_DEPARTMENTS.items():
                uow.org.upsert_department(code, pattern.format(ward=ward.name), ward.agency)
        hashed = hash_password(DEMO_PASSWORD)
        for person in demo_users():
            uow.org.upsert_user(person.username, person.full_name, hashed, person.system_roles,
                                person.memberships)
        uow.commit()
    office.forget_units()
