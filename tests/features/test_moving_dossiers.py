"""Moving running dossiers when a decree changes a procedure."""

import pytest

pytest.register_assert_rewrite("tests.features.migration_steps")

from pytest_bdd import scenarios  # noqa: E402

from tests.features.migration_steps import *  # noqa: E402, F403

pytestmark = pytest.mark.usefixtures("office")

scenarios("decree_changes_procedure.feature")
