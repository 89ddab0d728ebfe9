"""Accounts: who may log in and how. Callers import the names below from `portal.services.accounts`.

- `_audit`: `audit()`, the audit log's one writer (every area uses it).
- `sessions`: `CurrentUser`, database sessions (read on every request, flash message, start, end, list).
- `login`: `authenticate()` with throttling, the audit of logins, the argon2 rehash, unlocking a NIP.
- `passwords`: the password rules (common_passwords.txt) and changing one's own password.
- `tokens`: one-time links (code, hash, issue, find, use).
- `activation`: a unit's hand-out of activation links, the forgotten-password request, the e-mail.
- `admin`: accounts for the administrator (list, roles, switch off, unlock, end sessions; the last-admin rule).
- `preferences`: the language chosen on an account.
- `jobs`: the purge of expired sessions, failures and links, and its in-app periodic task.
"""

from portal.services.accounts._audit import audit
from portal.services.accounts.login import LoginResult, authenticate, is_locked
from portal.services.accounts.sessions import (
    SESSION_TOUCH_SECONDS,
    CurrentUser,
    end_session,
    keep_session,
    pop_flash,
    read_session,
    set_flash,
)

__all__ = [
    "SESSION_TOUCH_SECONDS",
    "CurrentUser",
    "LoginResult",
    "audit",
    "authenticate",
    "end_session",
    "is_locked",
    "keep_session",
    "pop_flash",
    "read_session",
    "set_flash",
]
