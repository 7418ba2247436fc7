"""Fixtures of the API tests: one real server per test module, on a fresh database (SQLite
always; PostgreSQL too when MOTCUA_TEST_POSTGRES_URL is set). The harness is shared with the
API features, which is why it lives in ``tests/features/api_steps.py``."""

from tests.features.api_steps import api

__all__ = ["api"]
