"""The auditors' features over HTTP: form 06, the steps report, the verified log."""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from tests.features.api_steps import *  # noqa: F403
from tests.features.auditor_steps import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("api")

scenarios("auditors_statistics.feature", "auditors_steps.feature", "auditors_verify.feature")
