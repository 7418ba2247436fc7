"""Settings from the environment (prefix ``MOTCUA_``), read only at the edges: CLI and app."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-demo-only"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOTCUA_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./motcua.db"
    # The receiving agency's code from the national list (QCVN 102:2016/BTTTT), used in dossier
    # codes. The demo office is a district People's Committee.
    agency_code: str = "000.00.20.H26"
    agency_name: str = "UBND quận Hà Đông"
    reception_department: str = "MOT_CUA"
    demo_mode: bool = False
    secret_key: str = DEFAULT_SECRET
    token_minutes: int = 480
    timezone: str = "Asia/Ho_Chi_Minh"
    # The address applicants reach the office at (printed as the receipt's QR code); when unset,
    # the address the request came in on, which is wrong behind a proxy that rewrites it.
    public_url: str | None = None

    # Expressions in diagrams (engine/runtime/sandbox.py): the time one evaluation may take,
    # the time all the automatic steps of one use case may take together, and how many
    # items (characters, list entries, loop turns) one evaluation may build.
    script_time_ms: int = 200
    script_step_ms: int = 2000
    script_size: int = 1_000_000

    # Incidents
    # A dossier whose timer path failed is tried again after the first wait, then after
    # twice as long each time, never waiting longer than the ceiling (seconds).
    incident_retry_seconds: float = 60.0
    incident_retry_max_seconds: float = 3600.0
