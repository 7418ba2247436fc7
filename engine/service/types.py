"""Types and constants the doors name (response models, page arguments, headers) that are
defined below the service layer, re-exported so a door imports nothing but ``engine.service``.
"""

from engine.audit.timeline import ControlSheet, SheetRow
from engine.documents.render import CONTENT_SECURITY_POLICY, Letterhead

__all__ = ["CONTENT_SECURITY_POLICY", "ControlSheet", "Letterhead", "SheetRow"]
