"""Procedure definitions: safe parsing, the metadata vocabulary, validation, versioning."""

from engine.definitions.bundle import Bundle, Procedure, raise_if_invalid, read_bundle
from engine.definitions.parsing import build_specs
from engine.definitions.vocabulary import Allowance, ProcedureMeta, StepMeta

__all__ = [
    "Allowance",
    "Bundle",
    "Procedure",
    "ProcedureMeta",
    "StepMeta",
    "build_specs",
    "raise_if_invalid",
    "read_bundle",
]
