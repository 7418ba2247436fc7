"""Operators list the messages that did not go and send one again once its cause is fixed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from engine.audit.chain import dossier_chain
from engine.bootstrap import build_office
from engine.cli import app
from engine.model import OutboxStatus, User
from engine.notify import NotifyConfig, SmtpConfig
from engine.service import desk, dossiers
from engine.service.sending import send_due
from engine.settings import Settings
from tests.databases import seeded_database
from tests.notify_servers import Mailbox, smtp_server

runner = CliRunner()
COPY = {"ten_giay_to": "Bằng tốt nghiệp", "pages": 2, "copies": 1}


def test_a_failed_message_is_listed_and_sent_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    office = build_office(Settings(database_url=url), database=seeded_database(url))
    with office.db.unit_of_work(readonly=True) as uow:
        reception = uow.org.user("reception")
    assert isinstance(reception, User)
    receipt = dossiers.submit(office, "chung_thuc_ban_sao",
                              {"name": "Hà Văn Tú", "email": "tu@example.com"}, "direct", COPY,
                              reception)
    desk.check(office, reception, receipt.code, [{"code": "ban_chinh"}], "accept")
    env = {"MOTCUA_DATABASE_URL": url}
    assert "Không có thông báo nào" in runner.invoke(app, ["notify", "list"], env=env).output
    mailbox = Mailbox(refuse=1)
    with smtp_server(mailbox) as port:
        office.notify = replace(NotifyConfig(), max_attempts=1, smtp=SmtpConfig(
            "127.0.0.1", port, starttls=False, timeout_s=5))
        assert len(send_due(office).failed) == 1
        listed = runner.invoke(app, ["notify", "list"], env=env)
        assert listed.exit_code == 0
        assert f"#1 {receipt.code} · Đã tiếp nhận hồ sơ · Thư điện tử · Không gửi được" in \
            listed.output and "451" in listed.output
        again = runner.invoke(app, ["notify", "retry", "1", "--actor", "admin"], env=env)
        assert again.exit_code == 0, again.output
        twice = runner.invoke(app, ["notify", "retry", "1"], env=env)
        assert twice.exit_code == 1 and "Đang chờ gửi" in twice.output
        assert runner.invoke(app, ["notify", "retry", "99"], env=env).exit_code == 1
        assert send_due(office).sent == 1
    assert len(mailbox.received) == 1
    with office.db.unit_of_work(readonly=True) as uow:
        row = uow.outbox.get(1)
        events = [e.kind for e in uow.audit.events(dossier_chain(receipt.dossier_id))]
    assert row is not None and row.status == OutboxStatus.SENT
    assert "message_requeued" in events
    office.db.dispose()
