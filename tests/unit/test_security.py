"""Passwords are hashed at full cost in the office; the tests' cheap hasher stays in tests."""

from __future__ import annotations

import subprocess
import sys

from argon2 import PasswordHasher

from engine import security
from tests.conftest import ROOT


def test_the_office_hashes_at_rfc_9106s_low_memory_cost() -> None:
    # A fresh interpreter: this one runs with the tests' cheap hasher.
    made = subprocess.run(
        [sys.executable, "-c",
         "from engine.security import hash_password; print(hash_password('demo'))"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert security.STRONG.time_cost == 3
    assert security.STRONG.memory_cost == 65536
    assert security.STRONG.parallelism == 4


def test_hashes_of_either_cost_verify_and_a_wrong_password_does_not() -> None:
    cheap = security.hash_password("demo")
    assert cheap.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    strong = PasswordHasher.from_parameters(security.STRONG).hash("demo")
    for stored in (cheap, strong):
        assert security.verify_password(stored, "demo")
        assert not security.verify_password(stored, "dem0")
    assert not security.verify_password("not a hash", "demo")
