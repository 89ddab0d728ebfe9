"""portal.mail against a real SMTP server (aiosmtpd, tests.rig.SmtpServer): nothing leaves without
PORTAL_SMTP_HOST; a message has a plain-text part (and an HTML alternative on request) and says it was
sent automatically; a refused recipient, a bad address, a refused login or an unreachable server come
back as a failure with a reason and never raise; the settings are checked at start. No database."""

from __future__ import annotations

import pytest

from portal import mail
from portal.settings import Settings, SettingsError
from tests import rig


def _settings(**overrides: object) -> Settings:
    return rig.test_settings("sqlite://", **overrides)


def test_nothing_is_sent_without_an_smtp_host(smtp_server):
    result = mail.send(_settings(), "putri@example.go.id", "Subjek", "Teks")
    assert result.status == mail.NOT_CONFIGURED and not result.sent
    assert not mail.configured(_settings())
    assert smtp_server.messages() == []


def test_a_message_has_a_plain_text_part_and_says_it_was_sent_automatically(smtp_server):
    settings = _settings(**smtp_server.settings_overrides())
    result = mail.send(settings, "putri@example.go.id", "Pengingat: isi survei \"K3 & APAR\"", "Yth. Putri,\n\nSilakan isi.\n")
    assert result.sent, result
    (received,) = smtp_server.messages()
    assert received.to == "putri@example.go.id" and received.mail_from == "noreply@portal.test"
    assert received.subject == "Pengingat: isi survei \"K3 & APAR\""
    assert received.text.replace("\r\n", "\n") == "Yth. Putri,\n\nSilakan isi.\n" and received.html is None
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert received.message["From"] == "BKPSDM <noreply@portal.test>" and received.message["Message-ID"]


def test_html_is_an_alternative_to_the_text(smtp_server):
    settings = _settings(**smtp_server.settings_overrides())
    assert mail.send(settings, "putri@example.go.id", "S", "teks", html="<p>teks</p>").sent
    (received,) = smtp_server.messages()
    assert received.text.strip() == "teks" and received.html.strip() == "<p>teks</p>"


def test_a_batch_goes_on_after_a_refused_recipient_and_reports_the_servers_reason():
    server = rig.SmtpServer(refuse={"hilang@example.go.id"})
    try:
        settings = _settings(**server.settings_overrides())
        with mail.Mailer(settings) as mailer:
            results = [mailer.send(to, "S", "T") for to in ("a@example.go.id", "hilang@example.go.id", "b@example.go.id")]
        assert [r.status for r in results] == [mail.SENT, mail.FAILED, mail.SENT]
        assert results[1].code == "refused" and "550" in results[1].reason
        assert [m.to for m in server.messages()] == ["a@example.go.id", "b@example.go.id"]
    finally:
        server.stop()


@pytest.mark.parametrize("address", ["", "tanpa-at", "a@b", "a b@example.go.id", "a@example.go.id\r\nBcc: x@evil.example", "A <a@example.go.id>", "a@x@example.go.id"])
def test_an_address_that_is_not_a_plain_mailbox_is_refused_before_the_server(smtp_server, address):
    result = mail.send(_settings(**smtp_server.settings_overrides()), address, "S", "T")
    assert result.status == mail.FAILED and result.code == "invalid_address"
    assert smtp_server.messages() == []


def test_a_subject_with_a_line_break_cannot_inject_headers(smtp_server):
    result = mail.send(_settings(**smtp_server.settings_overrides()), "a@example.go.id", "S\r\nBcc: x@evil.example", "T")
    assert result.status == mail.FAILED and smtp_server.messages() == []


def test_login_with_the_right_password_sends_and_a_refused_login_fails_the_rest_of_the_batch_at_once():
    server = rig.SmtpServer(users={"portal": "rahasia-sekali"})
    try:
        good = _settings(**server.settings_overrides(smtp_user="portal", smtp_password="rahasia-sekali"))
        assert mail.send(good, "a@example.go.id", "S", "T").sent
        bad = _settings(**server.settings_overrides(smtp_user="portal", smtp_password="salah"))
        with mail.Mailer(bad) as mailer:
            results = [mailer.send(f"{n}@example.go.id", "S", "T") for n in ("b", "c")]
        assert [r.code for r in results] == ["login", "login"] and all("535" in r.reason for r in results)
        assert "salah" not in results[0].reason and "salah" not in repr(bad)
        assert [m.to for m in server.messages()] == ["a@example.go.id"]
    finally:
        server.stop()


def test_an_unreachable_server_is_a_failure_not_an_exception():
    settings = _settings(smtp_host="127.0.0.1", smtp_port=rig.free_port(), smtp_tls="none", smtp_from="noreply@portal.test")
    with mail.Mailer(settings, timeout=2) as mailer:
        results = [mailer.send(f"{n}@example.go.id", "S", "T") for n in ("a", "b")]
    assert [r.code for r in results] == ["connection", "connection"]


BASE_ENV = {"PORTAL_ENV": "test", "PORTAL_SECRET_KEY": rig.TEST_SECRET}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORTAL_SMTP_HOST": "smtp.example.go.id"}, "PORTAL_SMTP_FROM"),
        ({"PORTAL_SMTP_HOST": "smtp.example.go.id", "PORTAL_SMTP_FROM": "x@example.go.id", "PORTAL_SMTP_TLS": "maybe"}, "PORTAL_SMTP_TLS"),
        ({"PORTAL_SMTP_PORT": "70000"}, "PORTAL_SMTP_PORT"),
        ({"PORTAL_BASE_URL": "kompetensi.example.go.id"}, "PORTAL_BASE_URL"),
        ({"PORTAL_REMINDER_INTERVAL_DAYS": "0"}, "PORTAL_REMINDER_INTERVAL_DAYS"),
    ],
)
def test_smtp_settings_are_checked_at_start(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({**BASE_ENV, **env})


def test_smtp_settings_from_the_environment():
    s = Settings.from_env({**BASE_ENV, "PORTAL_SMTP_HOST": "smtp.example.go.id", "PORTAL_SMTP_FROM": "BKPSDM <noreply@example.go.id>",
                           "PORTAL_SMTP_TLS": "ssl", "PORTAL_SMTP_PASSWORD": "rahasia", "PORTAL_BASE_URL": "https://kompetensi.example.go.id/"})
    assert s.smtp_configured and s.smtp_port_or_default == 465 and s.base_url == "https://kompetensi.example.go.id"
    assert "rahasia" not in repr(s)
    assert not Settings.from_env(BASE_ENV).smtp_configured
