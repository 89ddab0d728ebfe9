"""Password rules (OWASP ASVS 4 §2.1, NIST 800-63B §5.1.1.2) and changing one's own password.

The rules, checked in this order, each with a message that says what to do:
- at least MIN_LENGTH (12) characters, at most MAX_LENGTH (128); any character counts, spaces too, so a
  short sentence ("kopi pagi di tepi laut") is a good password; no rules of composition;
- not one of the 10,000 most common passwords (common_passwords.txt, from the zxcvbn package), nor one of
  them or of the portal's own words (CONTEXT_WORDS) with digits and symbols around it ("password2026!");
- not a run of the keyboard or the alphabet, nor a few characters repeated;
- not containing the person's NIP or the birth date in it, and not their name (with or without digits);
- for a change: not the current password again.
Used by /akun/sandi, the one-time links (activation, reset) and `portal create-user` alike."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlmodel import Session

from portal import security
from portal.i18n import _
from portal.models import Employee, utcnow
from portal.services.accounts import login, sessions
from portal.services.accounts._audit import audit
from portal.settings import Settings

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_DISTINCT = 5
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
# the portal's and the organisation's own words, which a guesser tries first
CONTEXT_WORDS = frozenset(
    {"portal", "kompetensi", "portalkompetensi", "bkpsdm", "tanjungpinang", "pemkot", "asn", "pns", "katasandi", "sandi", "rahasia"}
)
RUNS = ("01234567890123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")
# words of a name that are titles, not the name (with or without their dot)
TITLES = frozenset({"dr", "drs", "dra", "drg", "ir", "h", "hj", "prof", "st", "kh", "raden", "r"})


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common passwords, read on first use (about 80 KB, once per process)."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalpha())


def _name_words(name: str) -> list[str]:
    """The words of a person's name without academic degrees (after the first comma) and titles."""
    words = []
    for word in name.split(",")[0].split():
        core = _letters(word)
        if core and core not in TITLES and not (word.endswith(".") and len(core) <= 4):
            words.append(core)
    return words


def _is_run(text: str) -> bool:
    compact = "".join(c for c in text.lower() if c.isalnum())
    return len(compact) >= 6 and any(compact in run or compact in run[::-1] for run in RUNS)


def problem(password: str, *, nip: str = "", name: str = "", current: str | None = None) -> str | None:
    """Why `password` cannot be used (a message for the person), or None when it can."""
    password = unicodedata.normalize("NFC", password)
    if not password:
        return _("Masukkan kata sandi baru.")
    if len(password) < MIN_LENGTH:
        return _(
            "Kata sandi minimal %(min)s karakter (yang Anda ketik %(n)s). Kalimat pendek dengan spasi juga boleh, "
            "misalnya empat kata yang mudah Anda ingat."
        ) % {"min": MIN_LENGTH, "n": len(password)}
    if len(password) > MAX_LENGTH:
        return _("Kata sandi paling banyak %(max)s karakter.") % {"max": MAX_LENGTH}
    lower = password.lower()
    core = _letters(password)
    common = common_passwords()
    # a common word with digits and symbols around it is as weak as the word ("sunshine2026!")
    if lower in common or lower.replace(" ", "") in common or (len(core) >= 4 and core in common) or core in CONTEXT_WORDS:
        return _("Kata sandi ini termasuk yang paling sering dipakai orang sehingga mudah ditebak. Pilih yang lain.")
    if _is_run(password) or len(set(lower)) < MIN_DISTINCT:
        return _("Kata sandi ini terlalu mudah ditebak (urutan tombol, abjad atau karakter yang diulang). Pilih yang lain.")
    digits = "".join(c for c in password if c.isdigit())
    if nip and (nip in digits or nip[:8] in digits or (nip[6:8] + nip[4:6] + nip[:4]) in digits):
        return _("Kata sandi tidak boleh memuat NIP Anda atau tanggal lahir yang ada di dalamnya.")
    words = _name_words(name)
    if core and words and (core == "".join(words) or core in {w for w in words if len(w) >= 3}):
        return _("Kata sandi tidak boleh berupa nama Anda, dengan atau tanpa angka.")
    if current is not None and password == current:
        return _("Kata sandi baru harus berbeda dari kata sandi Anda saat ini.")
    return None


def check_new(data: dict[str, Any], *, nip: str, name: str, current: str | None = None) -> tuple[str, dict[str, str]]:
    """The new password of a form (fields `new` and `repeat`) and the errors by field."""
    new = str(data.get("new") or "")
    repeat = str(data.get("repeat") or "")
    errors: dict[str, str] = {}
    message = problem(new, nip=nip, name=name, current=current)
    if message:
        errors["new"] = message
    if not repeat:
        errors["repeat"] = _("Ketik ulang kata sandi baru.")
    elif new and repeat != new:
        errors["repeat"] = _("Kedua kata sandi baru tidak sama. Ketik ulang dengan teliti.")
    return new, errors


@dataclass
class ChangeOutcome:
    errors: dict[str, str] = field(default_factory=dict)
    token: str | None = None  # the new session's, when the password changed
    status: int = 200  # 422 for errors, 429 while the NIP is locked


def change_password(
    session: Session, settings: Settings, employee_id: int, data: dict[str, Any], ip: str, user_agent: str
) -> ChangeOutcome:
    """Change the logged-in person's password: the current one (checked like a login: throttled, a wrong
    one is a failure in the audit log), the new one twice. On success every session of the person ends
    and a new one starts (its token in the outcome), audited as `password.change`."""
    person = session.get(Employee, employee_id)
    assert person is not None
    current = str(data.get("current") or "")
    new, errors = check_new(data, nip=person.nip, name=person.name, current=current or None)
    if not current:
        errors = {"current": _("Masukkan kata sandi Anda saat ini.")} | errors
    if errors:
        return ChangeOutcome(errors, status=422)
    now = utcnow()
    check = login.check_password(session, settings, person.nip, current, ip[:64], now)
    if check.outcome != "ok":
        if check.outcome == "locked":
            message = _("Terlalu banyak percobaan yang gagal. Demi keamanan, coba lagi dalam %(n)s menit.") % {"n": settings.login_lock_minutes}
            return ChangeOutcome({"current": message}, status=429)
        login.audit_failure(session, check.employee, person.nip, ip, "password.change_failed")
        session.commit()
        return ChangeOutcome({"current": _("Kata sandi saat ini salah.")}, status=422)
    set_password(session, employee_id, new)
    sessions.end_sessions_of(session, employee_id)
    token = sessions.start_session(session, employee_id, ip, user_agent, now)
    audit(session, employee_id, "password.change", f"employee:{employee_id}", "sesi lain diakhiri")
    session.commit()
    return ChangeOutcome(token=token)


def set_password(session: Session, employee_id: int, password: str) -> None:
    """Store a new password's argon2id hash (not committed)."""
    person = session.get(Employee, employee_id)
    assert person is not None
    person.password_hash = security.hash_password(password)
    session.add(person)
