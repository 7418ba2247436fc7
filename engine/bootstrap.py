"""Wiring in one place: settings in, a ready Office out."""

from __future__ import annotations

from engine.calendar import WorkingCalendar
from engine.files import FileLimits, FileStore, LocalFileStore
from engine.notify import NotifyConfig, SmsConfig, SmtpConfig
from engine.runtime.clock import Clock, SystemClock
from engine.runtime.scripting import office_script_engine
from engine.sandbox import Limits
from engine.service.backoff import Backoff
from engine.service.office import Office
from engine.service.throttle import Throttle, ThrottleConfig
from engine.settings import Settings
from engine.store import Database


def open_database(settings: Settings) -> Database:
    return Database(settings.database_url, lock_timeout_s=settings.db_lock_timeout_s,
                    synchronous=settings.sqlite_synchronous,
                    connect_timeout_s=settings.db_connect_timeout_s,
                    group_commit=settings.sqlite_group_commit)


def migrate_database(settings: Settings) -> None:
    """Create or upgrade the schema of the settings' database."""
    from engine.store.migrate import upgrade  # Alembic only for this command

    upgrade(settings.database_url)


def file_store(settings: Settings) -> FileStore:
    """Where attachments are kept: the local folder, or the S3-compatible bucket."""
    if settings.files_store == "s3":
        from engine.files.s3 import S3FileStore  # boto3 only for an office that chose S3

        if not settings.s3_bucket:
            raise ValueError("MOTCUA_FILES_STORE=s3 needs MOTCUA_S3_BUCKET")
        return S3FileStore(settings.s3_bucket, endpoint_url=settings.s3_endpoint_url,
                           region=settings.s3_region, access_key=settings.s3_access_key_id,
                           secret_key=settings.s3_secret_access_key, prefix=settings.s3_prefix)
    return LocalFileStore(settings.files_dir)


def office_calendar(settings: Settings) -> WorkingCalendar:
    """The office's working calendar, in the settings' time zone: the one place it is read;
    everything that shows local time asks this calendar."""
    return WorkingCalendar.default(settings.timezone)


def build_office(settings: Settings | None = None, clock: Clock | None = None,
                 database: Database | None = None) -> Office:
    settings = settings or Settings()
    calendar = office_calendar(settings)
    limits = Limits(time_ms=settings.script_time_ms, step_ms=settings.script_step_ms,
                    size=settings.script_size)
    return Office(
        db=database or open_database(settings),
        agency_code=settings.agency_code,
        reception_department=settings.reception_department,
        clock=clock or SystemClock(),
        calendar=calendar,
        scripts=office_script_engine(calendar, limits),
        incident_backoff=Backoff(settings.incident_retry_seconds,
                                 settings.incident_retry_max_seconds),
        throttle=Throttle(throttle_config(settings)),
        early_rule=settings.report_early_rule,
        files=file_store(settings),
        file_limits=FileLimits(settings.file_max_bytes, settings.dossier_files_max_bytes),
        notify=notify_config(settings),
    )


def notify_config(settings: Settings) -> NotifyConfig:
    """The senders and retries of messages to applicants; secrets only from the settings."""
    smtp = None if not settings.notify_smtp_host else SmtpConfig(
        host=settings.notify_smtp_host, port=settings.notify_smtp_port,
        user=settings.notify_smtp_user, password=settings.notify_smtp_password,
        starttls=settings.notify_smtp_starttls, sender=settings.notify_smtp_from,
        timeout_s=settings.notify_smtp_timeout_s)
    sms = None if not settings.notify_sms_url else SmsConfig(
        url=settings.notify_sms_url, token=settings.notify_sms_token,
        timeout_s=settings.notify_sms_timeout_s)
    return NotifyConfig(
        public_url=settings.public_url, office_name=settings.agency_name,
        sms_ascii=settings.notify_sms_ascii, smtp=smtp, sms=sms,
        max_attempts=settings.notify_max_attempts,
        retry_first_seconds=settings.notify_retry_seconds,
        retry_max_seconds=settings.notify_retry_max_seconds,
        lease_seconds=settings.notify_lease_seconds,
        resend_uncertain_email=settings.notify_resend_uncertain_email)


def throttle_config(settings: Settings) -> ThrottleConfig:
    return ThrottleConfig(
        storage=settings.rate_limit_storage,
        sign_in_user_failures=settings.sign_in_user_failures,
        sign_in_address_failures=settings.sign_in_address_failures,
        lockout_seconds=settings.sign_in_lockout_seconds,
        lockout_max_seconds=settings.sign_in_lockout_max_seconds,
        filing=settings.public_filing_limit,
        filing_max_bytes=settings.public_filing_max_bytes,
        lookup=settings.public_lookup_limit,
        rating=settings.public_rating_limit,
        scans=settings.public_scans_limit,
        supplement=settings.public_supplement_limit,
        recovery=settings.public_recovery_limit,
        recovery_code=settings.public_recovery_code_limit,
    )
