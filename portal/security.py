"""Password hashing, session tokens and the HTTP security policy. No web-framework imports."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
from collections.abc import Iterable
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2id with the library's RFC 9106 "low memory" profile (64 MiB, t=3, p=4).
_hasher = PasswordHasher()
# Verified against when the NIP is unknown, so that the response time does not reveal it.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
}
# Sent when the portal is served over HTTPS only (production, or secure cookies on).
HSTS_HEADER = ("strict-transport-security", "max-age=31536000; includeSubDomains")

# The largest id a row can have: every id column is INTEGER, 32-bit signed on PostgreSQL (SQLite
# would take 64 bits, but the portal must behave the same on both).
MAX_DB_ID = 2**31 - 1

# The secret key: at least this long, with at least this many distinct characters and this much
# estimated entropy (length x log2(distinct characters)).
SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT = 8
SECRET_MIN_BITS = 128


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        _safe_verify(_DUMMY_HASH, password)
        return False
    return _safe_verify(password_hash, password)


def _safe_verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def session_key(token: str) -> str:
    """The database key of a session: SHA-256 of the cookie token."""
    return hashlib.sha256(token.encode()).hexdigest()


def valid_nip_format(nip: str) -> bool:
    return len(nip) == 18 and nip.isascii() and nip.isdigit()


# --------------------------------------------------------------------------- secret key


def secret_key_problem(secret: str) -> str | None:
    """Why `secret` is too weak to sign tokens, or None when it is strong enough."""
    distinct = len(set(secret))
    if len(secret) < SECRET_MIN_LENGTH:
        return f"it has {len(secret)} characters, at least {SECRET_MIN_LENGTH} are needed"
    bits = len(secret) * math.log2(distinct) if distinct > 1 else 0.0
    if distinct < SECRET_MIN_DISTINCT or bits < SECRET_MIN_BITS:
        return f"it has too little variety ({distinct} distinct characters, about {bits:.0f} bits; {SECRET_MIN_BITS} needed)"
    return None


# --------------------------------------------------------------------------- CSRF tokens
# Derived, never stored: for a logged-in user from the session key, so that the token changes with the
# session (a new one at every login, none left after logout) and a token of one session is refused in
# another; before login from a random pre-session cookie (double submit, bound by the secret key).


def _mac(secret_key: str, message: str) -> str:
    return hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).hexdigest()


def session_csrf_token(secret_key: str, session_key: str) -> str:
    return _mac(secret_key, "csrf:" + session_key)


def login_csrf_token(secret_key: str, presession: str) -> str:
    return _mac(secret_key, "login:" + presession)


def new_presession_value() -> str:
    return secrets.token_urlsafe(32)


def valid_presession_value(value: str | None) -> bool:
    return bool(value) and 20 <= len(value) <= 64 and value.isascii() and all(c.isalnum() or c in "-_" for c in value)


def mask_token(token: str) -> str:
    """The token as a page carries it: a fresh random pad, then the token XORed with that pad (hex). Pages
    are compressed, so a token repeated unchanged in every page could be guessed byte by byte from the
    sizes of responses that also echo a guess (BREACH); a masked token differs in every response."""
    raw = bytes.fromhex(token)
    pad = secrets.token_bytes(len(raw))
    return (pad + bytes(a ^ b for a, b in zip(pad, raw, strict=True))).hex()


def unmask_token(given: str | None) -> str | None:
    """The token inside a masked one (`mask_token`); None for anything else."""
    if not given or len(given) != 128:
        return None
    try:
        raw = bytes.fromhex(given)
    except ValueError:
        return None
    return bytes(a ^ b for a, b in zip(raw[:32], raw[32:], strict=True)).hex()


def same_token(expected: str, given: str | None) -> bool:
    """Whether `given` (as a page carried it: masked) holds the `expected` token."""
    token = unmask_token(given)
    return token is not None and hmac.compare_digest(expected.encode(), token.encode())


# --------------------------------------------------------------------------- client address

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """PORTAL_TRUSTED_PROXIES entries (addresses or CIDR networks); ValueError on a bad one."""
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in networks)


def client_ip(peer: str, forwarded_for: Iterable[str], trusted: tuple[str, ...]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy; then the right-most
    X-Forwarded-For entry that is not itself a trusted proxy (entries left of it were written by the
    client and prove nothing). `forwarded_for`: the header's values in the order received."""
    networks = parse_networks(trusted)
    if not networks or not _is_trusted(peer, networks):
        return peer
    hops = [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop[:64]
    return hops[0][:64] if hops else peer
