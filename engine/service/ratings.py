"""The applicant rates the service once the dossier is finished (the SIPAS questions)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from engine.audit.chain import dossier_chain
from engine.audit.timeline import FINISHED
from engine.errors import AlreadyDone, FormInvalid, NotAllowed, NotFinished, NotFound
from engine.i18n import msg
from engine.model import typed_code
from engine.service.dossiers import hash_secret
from engine.service.office import Office

SCALE = range(1, 6)  # 1 very dissatisfied … 5 very satisfied
MAX_VISITS = 100
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Rating:
    code: str
    satisfaction: int
    on_time: bool | None = None
    staff_attitude: int | None = None
    visits: int | None = None
    comment: str | None = None
    rated_at: datetime | None = None


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
        ratings.add(dossier.id, satisfaction=rating.satisfaction, on_time=rating.on_time,
                    staff_attitude=rating.staff_attitude, visits=rating.visits,
                    comment=comment or None, rated_at=now)
        uow.audit.append(dossier_chain(dossier.id), "dossier_rated", "applicant", now,
                         {"satisfaction": rating.satisfaction}, dossier.id)
        uow.commit()
    return Rating(dossier.code, rating.satisfaction, rating.on_time, rating.staff_attitude,
                  rating.visits, comment or None, office.calendar.local_time(now))


def _check(rating: Rating) -> None:
    if rating.satisfaction not in SCALE:
        raise FormInvalid("satisfaction", msg("err_give_whole_number_from_1"))
    if rating.staff_attitude is not None and rating.staff_attitude not in SCALE:
        raise FormInvalid("staff_attitude", msg("err_give_whole_number_from_1"))
    if rating.visits is not None and not 0 <= rating.visits <= MAX_VISITS:
        raise FormInvalid("visits", msg("err_give_number_visits_0", max_visits=MAX_VISITS))
    if rating.comment is not None and len(rating.comment) > MAX_COMMENT:
        raise FormInvalid("comment", msg("err_most_characters", max_comment=MAX_COMMENT))
    if rating.comment is not None and "\x00" in rating.comment:
        raise FormInvalid("comment", msg("err_contains_nul_character"))
