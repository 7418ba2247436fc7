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

from engine.i18n import Message, has, translate

# What an error says to a person: a catalog Message (translated at the door into the
# reader's language), or, in code not yet given an id, an English sentence shown as it is.
Text = str | Message


def say(lang: str, text: Text) -> str:
    return translate(lang, text) if isinstance(text, Message) else text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition file, located for a person to fix."""

    file: str
    line: int | None
    element: str
    message: Text

    def text(self, lang: str) -> str:
        """The problem as ``file:line: element: message`` in ``lang``."""
        line = "" if self.line is None else str(self.line)
        return f"{self.file}:{line}: {self.element}: {say(lang, self.message)}"

    def __str__(self) -> str:
        return self.text("en")


class MotcuaError(Exception):
    """Base of every error the engine raises on purpose."""

    title = "Error"

    def __init__(self, detail: Text) -> None:
        self.message = detail if isinstance(detail, Message) else None
        self.detail = say("en", detail)  # for logs; people read text(lang)
        super().__init__(self.detail)

    def text(self, lang: str) -> str:
        """What went wrong, in ``lang``."""
        return say(lang, self.message) if self.message is not None else self.detail

    def title_text(self, lang: str) -> str:
        """The error's kind in ``lang`` (catalog ``error_title_<Class>``, else ``title``)."""
        for cls in type(self).__mro__:
            key = f"error_title_{cls.__name__}"
            if has(lang, key):
                return translate(lang, key)
        return self.title


class InvalidInput(MotcuaError):
    title = "Invalid input"


class DefinitionInvalid(InvalidInput):
    title = "Invalid procedure definition"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(problems_summary("en", problems))

    def text(self, lang: str) -> str:
        return problems_summary(lang, self.problems)


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
        self.problems = problems
        super().__init__(problems_summary("en", problems))

    def text(self, lang: str) -> str:
        return problems_summary(lang, self.problems)


class UnsafeXml(InvalidInput):
    title = "Unsafe XML refused"

    def __init__(self, file: str, line: int | None, reason: Text) -> None:
        self.problems = [Problem(file, line, "document", reason)]
        super().__init__(f"{file}:{line or ''}: {say('en', reason)}")

    def text(self, lang: str) -> str:
        problem = self.problems[0]
        return f"{problem.file}:{problem.line or ''}: {say(lang, problem.message)}"


class FormInvalid(InvalidInput):
    title = "Form data invalid"

    def __init__(self, field: str, message: Text) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {say('en', message)}" if field else message)

    def text(self, lang: str) -> str:
        reason = say(lang, self.reason)
        return f"{self.field}: {reason}" if self.field else reason


class StepFailed(InvalidInput):
    """An automatic step failed while the engine ran it: the dossier stays as it was."""

    title = "Automatic step failed"

    def __init__(self, detail: Text, step_id: str | None = None, step_name: str | None = None,
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

    def __init__(self, detail: Text, retry_after: int = 60) -> None:
        super().__init__(detail)
        self.retry_after = max(1, int(retry_after))


class NotReady(MotcuaError):
    title = "Service not ready"


class Unavailable(NotReady):
    """Storage is away or busy for now; the same request may succeed after ``retry_after``."""

    title = "Service unavailable"

    def __init__(self, detail: Text, retry_after: int = 5) -> None:
        super().__init__(detail)
        self.retry_after = max(1, int(retry_after))


def problems_summary(lang: str, problems: list[Problem]) -> str:
    """"3 problems found: a; b; c" in ``lang``: the first five, then an ellipsis."""
    shown = "; ".join(p.text(lang) for p in problems[:5]) + (" …" if len(problems) > 5 else "")
    key = "error_problem_found" if len(problems) == 1 else "error_problems_found"
    return translate(lang, key, count=len(problems), problems=shown)
