"""The demo organisation: a district office with its one-stop desk and four departments."""

from __future__ import annotations

from engine.security import hash_password
from engine.service.office import Office

DEPARTMENTS = {
    "MOT_CUA": "Bộ phận Tiếp nhận và Trả kết quả",
    "TU_PHAP": "Phòng Tư pháp",
    "TC_KH": "Phòng Tài chính – Kế hoạch",
    "QLDT": "Phòng Quản lý đô thị",
    "LANH_DAO": "Lãnh đạo UBND",
}

# username: (full name, roles, departments)
USERS: dict[str, tuple[str, set[str], set[str]]] = {
    "reception": ("Nguyễn Thị Lan", {"staff"}, {"MOT_CUA"}),
    "justice": ("Trần Văn Minh", {"staff"}, {"TU_PHAP"}),
    "finance": ("Lê Thị Hoa", {"staff"}, {"TC_KH"}),
    "urban": ("Phạm Quốc Huy", {"staff"}, {"QLDT"}),
    "leader": ("Đỗ Văn Thành", {"leader"}, set(DEPARTMENTS)),
    "auditor": ("Vũ Thị Mai", {"auditor"}, set()),
    "designer": ("Hoàng Văn Nam", {"designer"}, set()),
    "admin": ("Quản trị hệ thống", {"admin"}, set()),
}
DEMO_PASSWORD = "demo"


def seed(office: Office) -> None:
    """Idempotent: running it again resets the demo users to their demo roles and password."""
    with office.db.unit_of_work() as uow:
        for code, name in DEPARTMENTS.items():
            uow.org.upsert_department(code, name, office.agency_code)
        hashed = hash_password(DEMO_PASSWORD)
        for username, (full_name, roles, depts) in USERS.items():
            uow.org.upsert_user(username, full_name, hashed, roles, depts)
        uow.commit()
