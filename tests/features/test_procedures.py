"""The procedures as the one-stop office runs them, one feature file per procedure."""

from pytest_bdd import scenarios

from tests.features.procedure_steps import *  # noqa: F403

scenarios(
    "chung_thuc_ban_sao.feature",
    "dang_ky_ho_kinh_doanh.feature",
    "dang_ky_khai_sinh.feature",
    "cap_phep_xay_dung.feature",
)
