"""every department, membership and step belongs to a unit

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

- ``departments`` are keyed by their unit's agency code and their code (the lane name), so
  each unit has its own one-stop desk and justice office; they can be deactivated.
- ``memberships`` carry the roles a person holds in one department of a unit, or in the
  whole unit (``department_code`` NULL). ``users.roles`` keeps only the system roles
  (admin, designer): a single office's staff, leader and auditor roles move to their
  memberships, and a person with such a role and no department (the auditor) gets it for
  the whole office's unit.
- ``work_items.unit``: the unit whose department holds the step, filled from the dossier's
  receiving unit (one office: the same unit for every step); the queues' index leads with it.
- ``procedure_switch_offs``: the procedures a unit does not take.
- ``dossiers`` are indexed by receiving and by resolving unit.
"""

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYSTEM_ROLES = {"admin", "designer"}
ACTIVE = "status IN ('open', 'claimed')"


def _departments_table() -> None:
    op.create_table(
        "departments",
        sa.Column("agency_code", sa.String(32), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.PrimaryKeyConstraint("agency_code", "code", name="pk_departments"),
    )


def _memberships_table() -> None:
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("agency_code", sa.String(32), nullable=False),
        sa.Column("department_code", sa.String(32)),
        sa.Column("roles", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_memberships_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_memberships"),
    )
    op.create_index("ix_memberships_user", "memberships", ["user_id"])
    op.create_index("ix_memberships_place", "memberships", ["agency_code", "department_code"])


def upgrade() -> None:
    conn = op.get_bind()
    departments = conn.execute(sa.text("SELECT code, name, agency_code FROM departments")).all()
    unit_of = {code: agency for code, _, agency in departments}
    held = conn.execute(sa.text("SELECT user_id, department_code FROM memberships")).all()
    users = conn.execute(sa.text("SELECT id, roles FROM users")).all()
    # The single office's unit: the agency code its departments carry.
    office = Counter(unit_of.values()).most_common(1)[0][0] if unit_of else None

    op.drop_table("memberships")
    op.drop_table("departments")
    _departments_table()
    _memberships_table()
    if departments:
        conn.execute(sa.text("INSERT INTO departments (agency_code, code, name, active) "
                             "VALUES (:agency, :code, :name, :active)"),
                     [{"agency": agency, "code": code, "name": name, "active": True}
                      for code, name, agency in departments])
    places: dict[int, list[str]] = {}
    for user_id, department in held:
        places.setdefault(user_id, []).append(department)
    rows = []
    for user_id, roles in users:
        words = set((roles or "").split())
        unit_roles = " ".join(sorted(words - SYSTEM_ROLES))
        conn.execute(sa.text("UPDATE users SET roles = :roles WHERE id = :id"),
                     {"roles": " ".join(sorted(words & SYSTEM_ROLES)), "id": user_id})
        if not unit_roles:
            continue
        if places.get(user_id):
            rows += [{"user": user_id, "agency": unit_of[d], "department": d,
                      "roles": unit_roles} for d in sorted(places[user_id])]
        elif office is not None:
            rows.append({"user": user_id, "agency": office, "department": None,
                         "roles": unit_roles})
    if rows:
        conn.execute(sa.text("INSERT INTO memberships (user_id, agency_code, department_code, "
                             "roles) VALUES (:user, :agency, :department, :roles)"), rows)

    op.create_table(
        "procedure_switch_offs",
        sa.Column("agency_code", sa.String(32), nullable=False),
        sa.Column("procedure_key", sa.String(100), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("agency_code", "procedure_key", name="pk_procedure_switch_offs"),
    )

    with op.batch_alter_table("work_items") as batch:
        batch.add_column(sa.Column("unit", sa.String(32), nullable=False, server_default=""))
    conn.execute(sa.text("UPDATE work_items SET unit = (SELECT d.receiving_unit FROM dossiers d "
                         "WHERE d.id = work_items.dossier_id)"))
    if conn.dialect.name != "sqlite":
        op.alter_column("work_items", "unit", existing_type=sa.String(32), server_default=None)
    op.drop_index("ix_work_items_queue", table_name="work_items")
    op.create_index("ix_work_items_queue", "work_items",
                    ["unit", "department_code", "status", "due_at"],
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    op.create_index("ix_dossiers_receiving_unit", "dossiers", ["receiving_unit", "received_at"])
    op.create_index("ix_dossiers_resolving_unit", "dossiers", ["resolving_unit", "received_at"])


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_dossiers_resolving_unit", table_name="dossiers")
    op.drop_index("ix_dossiers_receiving_unit", table_name="dossiers")
    op.drop_index("ix_work_items_queue", table_name="work_items")
    op.create_index("ix_work_items_queue", "work_items", ["department_code", "status", "due_at"],
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    with op.batch_alter_table("work_items") as batch:
        batch.drop_column("unit")
    op.drop_table("procedure_switch_offs")

    departments = conn.execute(sa.text("SELECT code, name, agency_code FROM departments")).all()
    held = conn.execute(sa.text("SELECT user_id, department_code, roles FROM memberships")).all()
    op.drop_table("memberships")
    op.drop_table("departments")
    op.create_table(
        "departments",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("agency_code", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_departments"),
    )
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("department_code", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_memberships_user_id_users"),
        sa.ForeignKeyConstraint(["department_code"], ["departments.code"],
                                name="fk_memberships_department_code_departments"),
        sa.PrimaryKeyConstraint("user_id", "department_code", name="pk_memberships"),
    )
    # One office again: a code's first unit keeps it.
    seen: dict[str, tuple[str, str]] = {}
    for code, name, agency in departments:
        seen.setdefault(code, (name, agency))
    if seen:
        conn.execute(sa.text("INSERT INTO departments (code, name, agency_code) VALUES "
                             "(:code, :name, :agency)"),
                     [{"code": c, "name": n, "agency": a} for c, (n, a) in seen.items()])
    roles: dict[int, set[str]] = {}
    pairs = set()
    for user_id, department, words in held:
        roles.setdefault(user_id, set()).update(words.split())
        if department is not None and department in seen:
            pairs.add((user_id, department))
    for user_id, extra in roles.items():
        old = conn.execute(sa.text("SELECT roles FROM users WHERE id = :id"),
                           {"id": user_id}).scalar() or ""
        conn.execute(sa.text("UPDATE users SET roles = :roles WHERE id = :id"),
                     {"roles": " ".join(sorted(set(old.split()) | extra)), "id": user_id})
    if pairs:
        conn.execute(sa.text("INSERT INTO memberships (user_id, department_code) VALUES "
                             "(:user, :department)"),
                     [{"user": u, "department": d} for u, d in sorted(pairs)])
