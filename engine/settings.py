"""Settings from the environment (prefix ``MOTCUA_``), read only at the edges: CLI and app."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine.calendar.working_time import DEFAULT_TIMEZONE

DEFAULT_SECRET = "change-me-demo-only"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOTCUA_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./motcua.db"
    # The receiving agency's code from the national list (QCVN 102:2016/BTTTT), used in dossier
    # codes. The demo office is a district People's Committee.
    agency_code: str = "000.00.81.H26"
    agency_name: str = "UBND phường Hà Đông"
    reception_department: str = "MOT_CUA"
    demo_mode: bool = False
    secret_key: str = DEFAULT_SECRET
    token_minutes: int = 480
    timezone: str = DEFAULT_TIMEZONE
    # The address applicants reach the office at (printed as the receipt's QR code); when unset,
    # the address the request came in on, which is wrong behind a proxy that rewrites it.
    public_url: str | None = None
    # Form 06: "day" counts a result ready before the due date's day as early (the
    # appointment receipt promises a day); "moment" compares the due moment itself.
    report_early_rule: Literal["day", "moment"] = "day"

    # Expressions in diagrams (engine/sandbox): the time one evaluation may take, the time all
    # the automatic steps of one use case may take together (on SQLite, the longest a step
    # holds the writer lock for its scripts), and how many items (characters, list entries,
    # loop turns) one evaluation may build.
    script_time_ms: int = Field(default=200, gt=0, le=60_000)
    script_step_ms: int = Field(default=2000, gt=0, le=600_000)
    script_size: int = Field(default=1_000_000, gt=0, le=100_000_000)

    # Storage
    # How long a request waits for the database before it is answered 503 with Retry-After:
    # the SQLite writer lock (and SQLite's busy handler behind it), a pooled connection.
    db_lock_timeout_s: float = Field(default=5.0, gt=0, le=300)
    # How long opening a PostgreSQL connection may take (a server that is down but whose
    # host drops packets would otherwise hold a request for minutes).
    db_connect_timeout_s: int = Field(default=5, ge=2, le=300)
    # NORMAL survives a crash of the process but may lose the last commits on a power cut;
    # FULL also survives a power cut, at the cost of a disk flush per commit.
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    # Writers queued at one moment share one SQLite transaction and its flush (each is
    # answered after it): worth it with FULL, where every commit waits for the disk.
    sqlite_group_commit: bool = False

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    # Files attached to dossiers (engine/files; docs/operations.md). "local" keeps them in
    # files_dir as <ab>/<cd>/<sha256>; "s3" in an S3-compatible bucket (the extra "s3").
    # Keys come from the environment (MOTCUA_S3_ACCESS_KEY_ID, …), never from a file in git.
    files_store: Literal["local", "s3"] = "local"
    files_dir: str = "./motcua-files"
    file_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    dossier_files_max_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_prefix: str = ""

    # Incidents
    # A dossier whose timer path failed is tried again after the first wait, then after
    # twice as long each time, never waiting longer than the ceiling (seconds).
    incident_retry_seconds: float = 60.0
    incident_retry_max_seconds: float = 3600.0

    # Abuse limits (engine/service/throttle.py; docs/operations.md). Limits are `limits`
    # strings ("5/15 minutes"), several joined by ";" ("10/hour;30/day"). Counters live in
    # rate_limit_storage: memory:// counts in each process; redis://host:6379 (or any storage
    # `limits` knows) counts across every process that shares it.
    rate_limit_storage: str = "memory://"
    # Failures before a username, or a client address, is locked out of signing in; the
    # first lockout lasts sign_in_lockout_seconds, each further one that day twice as long.
    sign_in_user_failures: str = "5/15 minutes"
    sign_in_address_failures: str = "20/15 minutes"
    sign_in_lockout_seconds: int = 60
    sign_in_lockout_max_seconds: int = 3600
    # Per client address, without an account: online filings (each at most
    # public_filing_max_bytes of applicant and form data as JSON), lookups, ratings, online
    # supplements (and looks at what a supplement asks, which try a receipt secret too).
    public_filing_limit: str = "10/hour;30/day"
    public_filing_max_bytes: int = 32 * 1024
    public_lookup_limit: str = "60/minute;2000/day"
    public_rating_limit: str = "20/hour"
    # Sendings of scans to review before an online filing (each stored at once).
    public_scans_limit: str = "20/hour;60/day"
    public_supplement_limit: str = "60/hour"
    # A lost receipt secret asked for again: per client address, and per dossier code.
    public_recovery_limit: str = "10/hour;30/day"
    public_recovery_code_limit: str = "3/hour;6/day"
    # Behind a reverse proxy: the addresses (or CIDR networks, comma-separated) of the
    # proxies whose client_ip_header (and X-Forwarded-Proto) is believed; from any other
    # peer they are ignored. The default believes a proxy on the same host only; empty
    # believes none.
    trusted_proxies: str = "127.0.0.1, ::1"
    client_ip_header: str = "X-Forwarded-For"

    # Messages to applicants (docs/operations.md, "Messages to applicants"). No SMTP host: no
    # e-mail is sent (messages wait in the outbox); no SMS URL: no SMS is sent.
    notify_smtp_host: str | None = None
    notify_smtp_port: int = Field(default=587, gt=0, lt=65536)
    notify_smtp_user: str | None = None
    notify_smtp_password: str | None = None
    notify_smtp_starttls: bool = True
    notify_smtp_from: str = "khong-tra-loi@localhost"
    notify_smtp_timeout_s: float = Field(default=30.0, gt=0, le=300)
    notify_sms_url: str | None = None
    notify_sms_token: str | None = None
    notify_sms_timeout_s: float = Field(default=15.0, gt=0, le=300)
    # SMS without diacritics (GSM-7: 160 characters a segment instead of 70).
    notify_sms_ascii: bool = True
    notify_max_attempts: int = Field(default=8, ge=1, le=100)
    notify_retry_seconds: float = Field(default=60.0, gt=0)
    notify_retry_max_seconds: float = Field(default=3600.0, gt=0)
    notify_lease_seconds: float = Field(default=300.0, gt=0)
    notify_resend_uncertain_email: bool = False
