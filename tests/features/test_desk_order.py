"""The desk checks a dossier first, then accepts it, asks for a supplement or refuses it."""

import pytest

pytest.register_assert_rewrite("tests.features.desk_steps")

from pytest_bdd import scenarios  # noqa: E402

from tests.features.desk_steps import *  # noqa: E402, F403

pytestmark = pytest.mark.usefixtures("office")

scenarios("desk_order.feature")
