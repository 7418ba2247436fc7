"""What an online filing's review page carries to its submit: the applicant, the checked
form data, the desk chosen and the scans stored at review time (document code, file name,
sha256), signed with the app's secret (HMAC) and valid for ``REVIEW_MINUTES``.

The token only spares the applicant sending the scans twice: the submit checks everything
again (``online_filing.file_online``), the scans' bytes included, read back by their sha256.
Nothing in it is secret from its holder, who typed it all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from api import auth
from engine.service.online_filing import REVIEW_SECONDS
from engine.settings import Settings

REVIEW_MINUTES = REVIEW_SECONDS // 60
_AUDIENCE = "motcua-online-review"


@dataclass(frozen=True)
class Reviewed:
    procedure: str
    unit: str | None
    applicant: dict[str, Any]
    data: dict[str, Any]
    scans: list[tuple[str, str, str]]  # (document code, file name, sha256)
    # Names this review: it files one dossier, however often it is sent.
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))


def sign(settings: Settings, reviewed: Reviewed) -> str:
    claims = {"aud": _AUDIENCE, "exp": datetime.now(UTC) + timedelta(minutes=REVIEW_MINUTES),
              "procedure": reviewed.procedure, "unit": reviewed.unit,
              "applicant": reviewed.applicant, "data": reviewed.data,
              "scans": [list(s) for s in reviewed.scans], "nonce": reviewed.nonce}
    return jwt.encode(claims, settings.secret_key, algorithm=auth.ALGORITHM)


def read(settings: Settings, token: str, procedure: str) -> Reviewed | None:
    """The review signed for ``procedure``; None when forged, expired or for another one."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[auth.ALGORITHM],
                            audience=_AUDIENCE)
    except jwt.PyJWTError:
        return None
    scans = claims.get("scans")
    if claims.get("procedure") != procedure or not isinstance(scans, list) or \
            not isinstance(claims.get("applicant"), dict) or \
            not isinstance(claims.get("data"), dict):
        return None
    if not all(isinstance(s, list) and len(s) == 3 and all(isinstance(x, str) for x in s)
               for s in scans):
        return None
    unit, nonce = claims.get("unit"), claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        return None
    return Reviewed(procedure, unit if isinstance(unit, str) else None, claims["applicant"],
                    claims["data"], [(s[0], s[1], s[2]) for s in scans], nonce)
