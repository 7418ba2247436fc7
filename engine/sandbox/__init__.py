"""The sandbox every expression of a deployed diagram runs in.

Scripts, gateway conditions, DMN entries, timer and multi-instance expressions are written
by designers and read from uploaded files: they are untrusted. They are compiled by
RestrictedPython under our policy (``policy``), run with an allow-list of names and guarded
operations (``guards``) inside a time and size budget, by the SpiffWorkflow script engine in
``script_engine``. The same compiler checks every expression at deploy time.
"""

from engine.sandbox.errors import LimitExceeded, NotAllowedInExpression, SandboxError
from engine.sandbox.limits import Limits
from engine.sandbox.policy import check, compile_expression
from engine.sandbox.script_engine import SandboxScriptEngine, default_engine

__all__ = [
    "LimitExceeded",
    "Limits",
    "NotAllowedInExpression",
    "SandboxError",
    "SandboxScriptEngine",
    "check",
    "compile_expression",
    "default_engine",
]
