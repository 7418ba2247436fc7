"""The procedures as the one-stop office runs them, one feature file per procedure."""

import pytest

# The step definitions live in their own module: have pytest explain their failed asserts.
pytest.register_assert_rewrite("tests.features.procedure_steps")

from pytest_bdd import scenarios  # noqa: E402

from tests.features.procedure_steps import *  # noqa: E402, F403

# Steps ask for the office as they run; naming it here lets pytest see the database
# parameter (SQLite, PostgreSQL) when it collects the scenarios.
pytestmark = pytest.mark.usefixtures("office")

scenarios(
    "chung_thuc_ban_sao.feature",
    "dang_ky_ho_kinh_doanh.feature",
    "dang_ky_khai_sinh.feature",
    "cap_phep_xay_dung.feature",
)
