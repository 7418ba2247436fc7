"""Domain errors: one small tree, mapped to HTTP in ``api/errors.py`` and to exit codes in the CLI.

::

    MotcuaError
    ├── InvalidInput                 the caller sent something we cannot accept (HTTP 422)
    │   ├── DefinitionInvalid        a BPMN/DMN/form file failed validation (carries every Problem)
    │   ├── UnitsInvalid             an administrative-units file failed its checks (every Problem)
    │   ├── UnsafeXml                an upload with a DTD, an entity or other XML we refuse to parse
    │   ├── FormInvalid              form data that does not fit the step's schema (names the field)
    │   ├── StepFailed               an automatic step (script, condition, DMN, timer) failed;
    │   │                            names the step and the expression, nothing was written
    │   └── TooLarge                 over a size quota, e.g. an online filing's data (HTTP 413)
    ├── NotFound                     no such procedure / dossier / work item / user (HTTP 404)
    ├── NotAllowed                   the caller's role or department forbids it (HTTP 403)
    ├── Conflict                     the state changed under the caller (HTTP 409)
    │   ├── AlreadyClaimed           somebody else holds the work item
    │   ├── NotOpen                  the work item is completed or cancelled, or was released
    │   ├── StaleState               a concurrent step won the race for the dossier
    │   ├── NotFinished              the dossier is still being handled (e.g. rating it)
    │   └── AlreadyDone              a once-only act was already done (e.g. a second rating)
    ├── AuthenticationFailed         wrong credentials or token (HTTP 401)
    ├── TooManyRequests              an abuse limit was reached; try again later (HTTP 429)
    └── NotReady                     the database is not migrated or not reachable (HTTP 503)
        └── Unavailable              the database is away or its writer lock is busy; retry
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition file, located for a person to fix."""

    file: str
    line: int | None
    element: str
    message: str

    def __str__(self) -> str:
        line = "" if self.line is None else str(self.line)
        return f"{self.file}:{line}: {self.element}: {self.message}"


class MotcuaError(Exception):
    """Base of every error the engine raises on purpose."""

    title = "Error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(MotcuaError):
    title = "Invalid input"


class DefinitionInvalid(InvalidInput):
    title = "Invalid procedure definition"

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found: " + "; ".join(
            str(p) for p in problems[:5]) + (" …" if count > 5 else ""))
        self.problems = problems


class ReplacementUnconfirmed(DefinitionInvalid):
    """The files would turn deployed procedures into others (another name, other
    departments); deploying them as the next version needs the designer's confirmation."""

    title = "Replacing a procedure needs confirming"

    def __init__(self, problems: list[Problem], keys: list[str]) -> None:
        super().__init__(problems)
        self.keys = keys


class UnitsInvalid(InvalidInput):
    """An administrative-units file broke a rule; nothing of it was imported."""

    title = "Invalid administrative units"

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found: " + "; ".join(
            str(p) for p in problems[:5]) + (" …" if count > 5 else ""))
        self.problems = problems


class UnsafeXml(InvalidInput):
    title = "Unsafe XML refused"

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        super().__init__(f"{file}:{line or ''}: {reason}")
        self.problems = [Problem(file, line, "document", reason)]


class FormInvalid(InvalidInput):
    title = "Form data invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


class StepFailed(InvalidInput):
    """An automatic step failed while the engine ran it: the dossier stays as it was."""

    title = "Automatic step failed"

    def __init__(self, detail: str, step_id: str | None = None, step_name: str | None = None,
                 expression: str | None = None) -> None:
        super().__init__(detail)
        self.step_id = step_id
        self.step_name = step_name
        self.expression = expression


class NotFound(MotcuaError):
    title = "Not found"


class NotAllowed(MotcuaError):
    title = "Not allowed"


class Conflict(MotcuaError):
    title = "Conflict"


class AlreadyClaimed(Conflict):
    title = "Already claimed"


class NotOpen(Conflict):
    title = "Work item not open"


class StaleState(Conflict):
    title = "Dossier changed concurrently"


class NotFinished(Conflict):
    title = "Dossier not finished"


class AlreadyDone(Conflict):
    title = "Already done"


class AuthenticationFailed(MotcuaError):
    title = "Authentication failed"


class TooLarge(InvalidInput):
    """Input over a size quota (an anonymous filing's applicant and form data)."""

    title = "Too large"


class TooManyRequests(MotcuaError):
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int = 60) -> None:
        super().__init__(detail)
        self.retry_after = max(1, int(retry_after))


class NotReady(MotcuaError):
    title = "Service not ready"


class Unavailable(NotReady):
    """Storage is away or busy for now; the same request may succeed after ``retry_after``."""

    title = "Service unavailable"

    def __init__(self, detail: str, retry_after: int = 5) -> None:
        super().__init__(detail)
        self.retry_after = max(1, int(retry_after))
