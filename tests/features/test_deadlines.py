"""The legal-deadline features over HTTP: the apology with a new date, and the supplement
that stops the clock."""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from tests.features.api_steps import *  # noqa: F403
from tests.features.auditor_steps import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("api")

scenarios("deadlines_apology.feature", "deadlines_supplement.feature")
