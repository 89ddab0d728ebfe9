"""Outgoing e-mail through SMTP (settings PORTAL_SMTP_*), for any area: reminders, activation links.

    from portal import mail
    result = mail.send(settings, "putri@example.go.id", "Subjek", "Teks biasa", html=None)
    if not result.sent: ...          # result.status: sent | failed | not_configured; result.reason

    with mail.Mailer(settings) as mailer:       # one connection for a batch
        for person in people:
            result = mailer.send(person.email, subject, text)

- Nothing is sent while `PORTAL_SMTP_HOST` is empty: every call returns status `not_configured`
  without touching the network (`mail.configured(settings)` says so beforehand).
- A message always has a plain-text part; `html` adds an alternative part. Headers say that it was sent
  automatically (`Auto-Submitted: auto-generated`, RFC 3834), so that out-of-office replies stay away.
- Nothing here raises for a delivery problem: a refused address, a refused message, a dropped or
  unreachable server or a refused login come back as `SendResult(status="failed", code=..., reason=...)`,
  so a batch goes on with the next message. After a connection or login failure the Mailer answers the
  rest of the batch at once with the same failure instead of waiting for the server's timeout again.
- The password is only handed to `smtplib.SMTP.login`; it is never logged, printed or put in a result.
  Log lines name the kind of failure, never the recipient or the text.
- TLS: `starttls` (default, port 587) or `ssl` (implicit TLS, port 465) with certificate and host name
  checked against the system's CA store; `none` (port 25) for a relay on the same machine or network.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from types import TracebackType
from typing import Self

from portal.i18n import _
from portal.settings import Settings

log = logging.getLogger("portal.mail")
TIMEOUT_SECONDS = 20

SENT = "sent"
FAILED = "failed"
NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True)
class SendResult:
    """What became of one message. `code` (failed only): invalid_address | refused | rejected |
    connection | login; `reason`: a short Indonesian sentence with the server's reply, for HR's page
    and the command's output (never the password, never the text)."""

    status: str
    code: str = ""
    reason: str = ""

    @property
    def sent(self) -> bool:
        return self.status == SENT


def configured(settings: Settings) -> bool:
    return settings.smtp_configured


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"[:200]


def build_message(settings: Settings, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """The message as it is sent; ValueError for an address or subject that cannot be a header (line
    breaks: no header injection)."""
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(timezone.utc))
    domain = parseaddr(settings.smtp_from)[1].rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def valid_address(address: str | None) -> bool:
    """A plain mailbox (local@domain), nothing else: no name part, spaces, line breaks or commas."""
    if not address:
        return False
    local, at, domain = address.partition("@")
    return bool(at and local and "." in domain and not any(c in address for c in " \t\r\n,;<>\"()[]\\") and "@" not in domain)


class Mailer:
    """One SMTP connection for a batch of messages, opened on the first `send`, closed on exit."""

    def __init__(self, settings: Settings, timeout: float = TIMEOUT_SECONDS) -> None:
        self.settings = settings
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None
        self._broken: SendResult | None = None  # the connection or login failure, repeated for the rest

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        if s.smtp_tls == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port_or_default, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port_or_default, timeout=self.timeout)
        try:
            smtp.ehlo()
            if s.smtp_tls == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _open(self) -> SendResult | None:
        """Connect when needed; the failure (remembered for the rest of the batch) or None."""
        if self._broken is not None:
            return self._broken
        if self._smtp is not None:
            return None
        try:
            self._smtp = self._connect()
        except smtplib.SMTPAuthenticationError as exc:
            self._broken = SendResult(FAILED, "login", _("Server email menolak login (%(r)s).") % {"r": _reply(exc.smtp_code, exc.smtp_error)})
        except (smtplib.SMTPException, OSError) as exc:
            self._broken = SendResult(FAILED, "connection", _("Server email tidak dapat dihubungi (%(r)s).") % {"r": type(exc).__name__})
        if self._broken is not None:
            log.warning("SMTP %s:%s unusable: %s", self.settings.smtp_host, self.settings.smtp_port_or_default, self._broken.code)
            return self._broken
        return None

    def send(self, to: str, subject: str, text: str, html: str | None = None) -> SendResult:
        if not configured(self.settings):
            return SendResult(NOT_CONFIGURED)
        if not valid_address(to):
            return SendResult(FAILED, "invalid_address", _("Alamat email tidak sah."))
        try:
            msg = build_message(self.settings, to, subject, text, html)
        except ValueError:
            return SendResult(FAILED, "invalid_address", _("Alamat email tidak sah."))
        for attempt in (1, 2):  # a server that dropped an idle connection gets one reconnect
            failure = self._open()
            if failure is not None:
                return failure
            assert self._smtp is not None
            try:
                self._smtp.send_message(msg, from_addr=parseaddr(self.settings.smtp_from)[1], to_addrs=[to])
                return SendResult(SENT)
            except smtplib.SMTPRecipientsRefused as exc:
                code, message = next(iter(exc.recipients.values()), (0, b""))
                return self._failed("refused", _("Alamat ditolak oleh server email (%(r)s).") % {"r": _reply(code, message)})
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                return self._failed("rejected", _("Pesan ditolak oleh server email (%(r)s).") % {"r": _reply(exc.smtp_code, exc.smtp_error)})
            except smtplib.SMTPNotSupportedError:
                return self._failed("rejected", _("Server email tidak mendukung alamat ini."))
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as exc:
                self.close()
                if attempt == 2:
                    self._broken = SendResult(FAILED, "connection", _("Koneksi ke server email terputus (%(r)s).") % {"r": type(exc).__name__})
                    log.warning("SMTP connection lost twice: %s", type(exc).__name__)
                    return self._broken
            except smtplib.SMTPException as exc:
                return self._failed("rejected", _("Pesan ditolak oleh server email (%(r)s).") % {"r": type(exc).__name__})
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _failed(code: str, reason: str) -> SendResult:
        log.warning("SMTP refused a message: %s", code)
        return SendResult(FAILED, code, reason)


def send(settings: Settings, to: str, subject: str, text: str, html: str | None = None) -> SendResult:
    """One message on a connection of its own (use a Mailer for many). No-op when SMTP is not configured."""
    if not configured(settings):
        return SendResult(NOT_CONFIGURED)
    with Mailer(settings) as mailer:
        return mailer.send(to, subject, text, html)
