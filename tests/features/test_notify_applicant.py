"""The applicant is told of the dossier's progress on the channel they chose."""

import pytest

pytest.register_assert_rewrite("tests.features.notify_steps")

from pytest_bdd import scenarios  # noqa: E402

from tests.features.notify_steps import *  # noqa: E402, F403

pytestmark = pytest.mark.usefixtures("office")

scenarios("notify_applicant.feature")
