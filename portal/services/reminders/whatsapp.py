"""WhatsApp click-to-chat for HR's list of people to follow up: the number a `https://wa.me/<number>`
link needs (international form, digits only). No API and no token: HR's own WhatsApp opens with a
prefilled message (worded and linked in templates/reports/_responses.html), and HR presses send."""

from __future__ import annotations

import re

INDONESIA = "62"


def whatsapp_number(phone: str | None) -> str | None:
    """`0812-3456-7890`, `+62 812 3456 7890`, `62812…` and `812…` -> `6281234567890`; a number with another
    country code (`+65…`) is kept; None when it cannot be a mobile number (too short or too long, letters)."""
    if not phone:
        return None
    raw = re.sub(r"[\s\-().]", "", phone.strip())
    if raw.startswith("+"):
        digits = raw[1:]
    elif raw.startswith("00"):
        digits = raw[2:]
    elif raw.startswith("0"):
        digits = INDONESIA + raw[1:]
    elif raw.startswith("8"):
        digits = INDONESIA + raw
    else:
        digits = raw
    if not digits.isascii() or not digits.isdigit() or not 10 <= len(digits) <= 15 or digits.startswith("0"):
        return None
    return digits
