"""The demo organisation before the 1 July 2025 reform, and the law of that time.

Until 30 June 2025 Quận Hà Đông (000.00.20.H26) resolved household business registration and
construction permits at its own one-stop desk; its wards certified copies and registered
births. ``seed_before_the_reform`` adds the district's departments and people and, for two of
its seventeen wards (Phú La, Quang Trung), a desk, a justice officer and a leader, next to the
post-reform organisation of ``demo.seed`` (which it runs first). The district's people are
``<role>.quan`` (``reception.quan``), the wards' ``<role>.<ward>`` (``reception.phula``);
password ``demo``. ``procedures_before_the_reform`` turns the shipped procedures into the
version of that time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engine.errors import InvalidInput
from engine.i18n import msg
from engine.model import Membership
from engine.security import hash_password
from engine.service import demo
from engine.service.office import Office

DISTRICT = "000.00.20.H26"  # Quận Hà Đông, until 30 June 2025
REFORM_DAY = date(2025, 7, 1)  # two-tier local government
# District-level procedures until 30 June 2025, commune-level since the two-tier reform.
DISTRICT_UNTIL_THE_REFORM = ("dang_ky_ho_kinh_doanh", "cap_phep_xay_dung")
COMMUNE_BEFORE_THE_REFORM = ("chung_thuc_ban_sao", "dang_ky_khai_sinh")

DISTRICT_DEPARTMENTS = {
    "MOT_CUA": "Bộ phận Tiếp nhận và Trả kết quả quận Hà Đông",
    "TU_PHAP": "Phòng Tư pháp",
    "TC_KH": "Phòng Tài chính – Kế hoạch",
    "QLDT": "Phòng Quản lý đô thị",
    "LANH_DAO": "Lãnh đạo UBND quận",
}
FORMER_WARD_DEPARTMENTS = {
    "MOT_CUA": "Bộ phận Tiếp nhận và Trả kết quả phường {ward}",
    "TU_PHAP": "Công chức Tư pháp – Hộ tịch phường {ward}",
    "LANH_DAO": "Lãnh đạo UBND phường {ward}",
}


@dataclass(frozen=True)
class FormerWard:
    agency: str
    slug: str  # in the usernames of its people
    name: str
    people: tuple[str, str, str]  # reception, justice, leader


FORMER_WARDS = (
    FormerWard("000.08.20.H26", "phula", "Phú La",
               ("Trần Thị Thoa", "Nguyễn Văn Hiếu", "Lê Văn Tùng")),
    FormerWard("000.06.20.H26", "quangtrung", "Quang Trung",
               ("Phạm Thị Nhung", "Hoàng Văn Kiên", "Đỗ Minh Châu")),
)

# The district's people: username, full name, role, department (None: the whole district).
_DISTRICT_PEOPLE: tuple[tuple[str, str, str, str | None], ...] = (
    ("reception.quan", "Vũ Thị Thanh", "staff", "MOT_CUA"),
    ("reception2.quan", "Lê Thị Kim", "staff", "MOT_CUA"),
    ("justice.quan", "Nguyễn Hữu Toàn", "staff", "TU_PHAP"),
    ("finance.quan", "Đào Thị Minh", "staff", "TC_KH"),
    ("urban.quan", "Trần Quốc Bảo", "staff", "QLDT"),
    ("urban2.quan", "Lưu Văn Nghĩa", "staff", "QLDT"),
    ("leader.quan", "Nguyễn Đình Phong", "leader", None),
    ("auditor.quan", "Phùng Thị Hiền", "auditor", None),
)


def district_people() -> list[demo.DemoUser]:
    return [demo.DemoUser(name, full, frozenset(),
                          (Membership(DISTRICT, dept, frozenset({role})),))
            for name, full, role, dept in _DISTRICT_PEOPLE]


def former_ward_people() -> list[demo.DemoUser]:
    people = []
    for ward in FORMER_WARDS:
        for (word, role, dept), full in zip((("reception", "staff", "MOT_CUA"),
                                             ("justice", "staff", "TU_PHAP"),
                                             ("leader", "leader", None)), ward.people,
                                            strict=True):
            people.append(demo.DemoUser(f"{word}.{ward.slug}", full, frozenset(),
                                        (Membership(ward.agency, dept, frozenset({role})),)))
    return people


USERS = [u.username for u in district_people() + former_ward_people()]


def seed_before_the_reform(office: Office) -> None:
    """The demo organisation (``demo.seed``) and the district's and former wards' desks,
    departments and people; idempotent."""
    demo.seed(office)
    hashed = hash_password(demo.DEMO_PASSWORD)
    with office.db.unit_of_work() as uow:
        for code, name in DISTRICT_DEPARTMENTS.items():
            uow.org.upsert_department(code, name, DISTRICT)
        for ward in FORMER_WARDS:
            for code, pattern in FORMER_WARD_DEPARTMENTS.items():
                uow.org.upsert_department(code, pattern.format(ward=ward.name), ward.agency)
        for person in district_people() + former_ward_people():
            uow.org.upsert_user(person.username, person.full_name, hashed, person.system_roles,
                                person.memberships)
        uow.commit()
    office.forget_units()


def procedures_before_the_reform(files: dict[str, bytes]) -> dict[str, bytes]:
    """The shipped procedure files (keyed by file name) as the law stood until 30 June 2025:
    household business registration and construction permits at district level."""
    before = dict(files)
    commune, district = b'name="level" value="commune"', b'name="level" value="district"'
    for key in DISTRICT_UNTIL_THE_REFORM:
        name = next((n for n in before if n.rsplit("/", 1)[-1] == f"{key}.bpmn"), None)
        if name is None or commune not in before[name]:
            raise InvalidInput(msg("err_bpmn_among_files_commune_level", key=key))
        before[name] = before[name].replace(commune, district)
    return before
