"""The applicant rates the service once the dossier is finished, on the questions of the
satisfaction survey (``engine/reports/survey.toml``, the SIPAS factors)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from engine.audit.chain import dossier_chain
from engine.audit.timeline import FINISHED
from engine.errors import AlreadyDone, FormInvalid, NotAllowed, NotFinished, NotFound
from engine.i18n import msg
from engine.model import typed_code
from engine.reports.survey import MAX_COUNT, Answer, Survey, survey
from engine.service.dossiers import hash_secret
from engine.service.office import Office

SCALE = range(1, 6)  # 1 very dissatisfied … 5 very satisfied
MAX_VISITS = MAX_COUNT
MAX_COMMENT = 2000
# The questions with a column of their own in the ratings (the others go in ``answers``).
COLUMNS = ("satisfaction", "on_time", "staff_attitude", "visits")


@dataclass(frozen=True)
class Rating:
    code: str
    satisfaction: int
    on_time: bool | None = None
    staff_attitude: int | None = None
    visits: int | None = None
    comment: str | None = None
    rated_at: datetime | None = None
    # The answers to the survey's other questions, by code (``questions()``).
    answers: dict[str, Answer] = field(default_factory=dict)

    def all_answers(self) -> dict[str, Answer]:
        """Every question answered, by code (the column ones included)."""
        given: dict[str, Answer | None] = {
            "satisfaction": self.satisfaction, "on_time": self.on_time,
            "staff_attitude": self.staff_attitude, "visits": self.visits, **self.answers}
        return {code: value for code, value in given.items() if value is not None}


def questions() -> Survey:
    """The survey the rating page shows, with its source."""
    return survey()


def rate(office: Office, code: str, secret: str, rating: Rating,
         address: str | None = None) -> Rating:
    """Record the rating; the receipt secret proves the caller holds the appointment receipt.
    Every attempt tries a secret, so each counts against the client ``address``'s limit."""
    _check(rating)
    office.throttle.rating(address)
    with office.db.unit_of_work() as uow:
        dossier = uow.dossiers.by_code(typed_code(code))
        if dossier is None:
            raise NotFound(msg("err_dossier_with_code", code=code))
        stored = uow.dossiers.secret_hash(dossier.id) or ""
        if not hmac.compare_digest(stored, hash_secret(secret)):
            raise NotAllowed(msg("err_secret_does_match_one_printed"))
        if dossier.status not in FINISHED:
            raise NotFinished(msg("err_dossier_can_rated_once_finished",
                                  value=msg(f"status_{dossier.status}")))
        ratings = uow.ratings
        if ratings.exists(dossier.id):
            raise AlreadyDone(msg("err_dossier_has_already_been_rated"))
        now = office.now()
        comment = rating.comment.strip() if rating.comment else None
        extra = {k: v for k, v in rating.all_answers().items() if k not in COLUMNS}
        ratings.add(dossier.id, satisfaction=rating.satisfaction, on_time=rating.on_time,
                    staff_attitude=rating.staff_attitude, visits=rating.visits,
                    comment=comment or None, rated_at=now, answers=extra)
        uow.audit.append(dossier_chain(dossier.id), "dossier_rated", "applicant", now,
                         {"satisfaction": rating.satisfaction}, dossier.id)
        uow.commit()
    return Rating(dossier.code, rating.satisfaction, rating.on_time, rating.staff_attitude,
                  rating.visits, comment or None, office.calendar.local_time(now), extra)


def _check(rating: Rating) -> None:
    """Each answer against its question's scale; the field named is the question's code
    (``answers.<code>`` for those without a column)."""
    _check_answers(rating.all_answers())
    if rating.comment is not None and len(rating.comment) > MAX_COMMENT:
        raise FormInvalid("comment", msg("err_most_characters", max_comment=MAX_COMMENT))
    if rating.comment is not None and "\x00" in rating.comment:
        raise FormInvalid("comment", msg("err_contains_nul_character"))


def _check_answers(answers: Mapping[str, object]) -> None:
    found = survey().problem(answers)
    if found is None:
        return
    code, why = found
    where = code if code in COLUMNS else f"answers.{code}"
    question = survey().question(code)
    if why == "unknown" or question is None:
        raise FormInvalid(where, msg("err_survey_no_such_question"))
    if question.scale == "yes_no":
        raise FormInvalid(where, msg("err_survey_yes_or_no"))
    if question.scale == "count":
        raise FormInvalid(where, msg("err_give_number_visits_0", max_visits=MAX_COUNT))
    raise FormInvalid(where, msg("err_give_whole_number_from_1"))
