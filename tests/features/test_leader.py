"""The leader's dashboard feature over HTTP."""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from tests.features.api_steps import *  # noqa: F403
from tests.features.leader_steps import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("api")

scenarios("leader_dashboard.feature")
