"""Password hashing with Argon2id at RFC 9106's low-memory profile (argon2-cffi's default)."""

from __future__ import annotations

from dataclasses import replace

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# The cost of every hash the office makes. Not a setting: nothing an operator configures can
# lower it; only the test suite swaps the hasher, through the function below.
STRONG = profiles.RFC_9106_LOW_MEMORY
_HASHER = PasswordHasher.from_parameters(STRONG)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def use_cheap_hashing_in_tests() -> None:
    """Hash at Argon2id's cheapest cost from now on in this process. For the test suite
    only, which hashes and verifies thousands of times and measures nothing about the hash;
    verifying reads the cost from the stored hash, so hashes made before still verify."""
    global _HASHER
    _HASHER = PasswordHasher.from_parameters(
        replace(STRONG, time_cost=1, memory_cost=8, parallelism=1))
