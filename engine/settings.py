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
    # public_filing_max_bytes of applicant and form data as JSON), lookups, ratings.
    public_filing_limit: str = "10/hour;30/day"
    public_filing_max_bytes: int = 32 * 1024
    public_lookup_limit: str = "60/minute;2000/day"
    public_rating_limit: str = "20/hour"
    # Behind a reverse proxy: the addresses (or CIDR networks, comma-separated) of the
    # proxies whose client_ip_header (and X-Forwarded-Proto) is believed; from any other
    # peer they are ignored. The default believes a proxy on the same host only; empty
    # believes none.
    trusted_proxies: str = "127.0.0.1, ::1"
    client_ip_header: str = "X-Forwarded-For"
