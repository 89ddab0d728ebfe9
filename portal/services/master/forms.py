"""What the Data Master forms share: reading a posted value, turning it into a clean one with the
import's cell rules (`imports.cells`: the same NIP, e-mail, phone and text rules as a spreadsheet), and
collecting one message per field for the GOV.UK error pattern (next to the field and in the summary)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from portal.security import MAX_DB_ID
from portal.services.imports import cells
from portal.services.imports.cells import CellError

T = TypeVar("T")
TYPED_MAX = 400  # what is kept of a typed value to show it again (longer input is refused anyway)


def typed(data: dict[str, Any], key: str) -> str:
    """A posted value as text, outer spaces removed (the first when sent several times)."""
    value = data.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    return ("" if value is None else str(value)).strip()[:TYPED_MAX]


def as_id(text: str) -> int | None:
    """An id chosen in a select: None when empty or not a number a row can have."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_DB_ID else None


@dataclass
class Errors:
    """Messages per field, in the order the fields appear on the form."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, message: str) -> None:
        self.by_field.setdefault(key, message)

    def clean(self, key: str, parse: Callable[[str], T], value: str, message: str | None = None) -> T | None:
        """`parse(value)`, or None with the parser's message (or `message`) recorded for `key`."""
        try:
            return parse(value)
        except CellError as exc:
            self.add(key, message or exc.message)
            return None

    def __bool__(self) -> bool:
        return bool(self.by_field)


def required_text(max_length: int, missing: str) -> Callable[[str], str]:
    """A parser of a required text field with its own message when empty."""

    def parse(value: str) -> str:
        if cells.is_blank(value):
            raise CellError(missing)
        return cells.text(value, max_length, required=True)

    return parse


def required_code(missing: str) -> Callable[[str], str]:
    """A required unit or position code (40 characters), with its own message when empty."""

    def parse(value: str) -> str:
        if cells.is_blank(value):
            raise CellError(missing)
        return cells.code(value, 40)

    return parse
