"""One spreadsheet cell into one clean value, or a clear Indonesian message saying why not.

Every parser takes what a reader gives (str, int, float, datetime, date, bool or None: openpyxl gives
typed values, CSV gives text) and returns the value or raises `CellError`. Nothing is guessed silently:
a NIP that Excel turned into a number has lost its last digits and is refused, not "repaired".
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from portal.i18n import _

NIP_LENGTH = 18
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad")
TRUE_WORDS = {"1", "ya", "y", "aktif", "true", "benar", "yes"}
FALSE_WORDS = {"0", "tidak", "t", "n", "nonaktif", "tidak aktif", "false", "salah", "no", "keluar", "pensiun"}

_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_WORD_DATE = re.compile(r"^(\d{1,2})[\s\-]+([a-z']+)\.?[\s\-]+(\d{4})$")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?e\+?\d+$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CellError(ValueError):
    """A cell that cannot be taken as it is; `message` is shown to HR next to the row and column."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object, max_length: int, *, required: bool = False) -> str:
    """Text with outer spaces (and non-breaking spaces) removed and inner runs of spaces folded."""
    if is_blank(value):
        if required:
            raise CellError(_("Wajib diisi."))
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        raise CellError(_("Berisi tanggal, padahal yang diharapkan teks."))
    cleaned = " ".join(str(value).replace("\u00a0", " ").split())
    if cleaned.startswith("="):
        raise CellError(_("Berisi rumus Excel, bukan nilai. Salin sel lalu tempel sebagai nilai (Paste Values)."))
    if len(cleaned) > max_length:
        raise CellError(_("Terlalu panjang: paling banyak %(n)s karakter.") % {"n": max_length})
    return cleaned


def nip(value: object, today: date | None = None) -> str:
    """An 18-digit NIP whose parts are plausible: birth date (YYYYMMDD), appointment month (YYYYMM) at
    least 16 years after birth and not in the future, sex digit 1 or 2, serial not 000."""
    if is_blank(value):
        raise CellError(_("NIP wajib diisi."))
    if isinstance(value, bool) or isinstance(value, (int, float, Decimal)):
        raise CellError(
            _("NIP tersimpan sebagai angka sehingga Excel membulatkan digit terakhirnya. Format kolom NIP sebagai Teks, lalu ketik ulang NIP ini.")
        )
    raw = str(value).replace("\u00a0", " ").strip().strip("'").replace(" ", "")
    if _SCIENTIFIC.match(raw):
        raise CellError(
            _("NIP tertulis dalam notasi ilmiah (%(v)s): digitnya sudah hilang. Format kolom NIP sebagai Teks, lalu ketik ulang NIP ini.") % {"v": raw}
        )
    if raw.startswith("="):
        raise CellError(_("Berisi rumus Excel, bukan nilai. Salin sel lalu tempel sebagai nilai (Paste Values)."))
    if not raw.isdigit() or len(raw) != NIP_LENGTH:
        raise CellError(_("NIP harus 18 angka (tertulis: %(v)s).") % {"v": raw[:40]})
    today = today or date.today()
    try:
        born = date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        raise CellError(_("NIP tidak sah: 8 angka pertama bukan tanggal lahir (TTTTBBHH).")) from None
    appointed_year, appointed_month = int(raw[8:12]), int(raw[12:14])
    if not 1 <= appointed_month <= 12:
        raise CellError(_("NIP tidak sah: angka ke-9 sampai ke-14 bukan bulan pengangkatan (TTTTBB)."))
    if born.year < 1940 or born > today:
        raise CellError(_("NIP tidak sah: tahun lahir %(y)s tidak masuk akal.") % {"y": born.year})
    if (appointed_year, appointed_month) < (born.year + 16, born.month) or (appointed_year, appointed_month) > (today.year, today.month):
        raise CellError(_("NIP tidak sah: bulan pengangkatan %(m)s tidak cocok dengan tanggal lahir.") % {"m": f"{appointed_month:02d}/{appointed_year}"})
    if raw[14] not in "12":
        raise CellError(_("NIP tidak sah: angka ke-15 (jenis kelamin) harus 1 atau 2."))
    if raw[15:] == "000":
        raise CellError(_("NIP tidak sah: nomor urut (3 angka terakhir) tidak boleh 000."))
    return raw


def code(value: object, max_length: int = 40, *, required: bool = True) -> str:
    """A key such as a unit or training code: text, with numbers Excel made of it given back as digits."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text(value, max_length, required=required)


def day(value: object, *, required: bool = False) -> date | None:
    """A calendar day from a date cell, an Excel serial number, or text: 2026-03-15, 15/03/2026,
    15-03-2026, 15.03.2026, "15 Maret 2026", "15 Mar 2026", "Senin, 15 Maret 2026"."""
    if is_blank(value):
        if required:
            raise CellError(_("Tanggal wajib diisi."))
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError(_("Bukan tanggal."))
    if isinstance(value, (int, float)):
        return _serial(float(value))
    raw = " ".join(str(value).replace("\u00a0", " ").split()).lower()
    if re.fullmatch(r"\d{5}(\.0+)?", raw):
        return _serial(float(raw))
    for weekday in WEEKDAYS:
        if raw.startswith(weekday):
            raw = raw[len(weekday):].lstrip(" ,")
            break
    try:
        if m := _ISO_DATE.match(raw):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC_DATE.match(raw):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if (m := _WORD_DATE.match(raw)) and m[2] in MONTHS:
            return date(int(m[3]), MONTHS[m[2]], int(m[1]))
    except ValueError:
        raise CellError(_("Tanggal %(v)s tidak ada di kalender.") % {"v": str(value).strip()}) from None
    raise CellError(
        _("Tanggal tidak dikenali: %(v)s. Tulis seperti 15/03/2026, 2026-03-15 atau 15 Maret 2026.") % {"v": str(value).strip()[:40]}
    )


def _serial(number: float) -> date:
    if not number.is_integer() or not 1 <= number <= 2958465:
        raise CellError(_("Bukan tanggal: %(v)s.") % {"v": number})
    result = EXCEL_EPOCH + timedelta(days=int(number))
    if result.year < 1950:
        raise CellError(_("Bukan tanggal: %(v)s.") % {"v": int(number)})
    return result


def whole_number(value: object, *, minimum: int = 0, maximum: int = 10**12, required: bool = False) -> int | None:
    """A whole number; Indonesian thousands separators ("1.500.000") and "Rp" are accepted."""
    if is_blank(value):
        if required:
            raise CellError(_("Wajib diisi."))
        return None
    if isinstance(value, bool):
        raise CellError(_("Harus berupa angka bulat."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Harus berupa angka bulat (tertulis: %(v)s).") % {"v": value})
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        raw = str(value).strip().lower().removeprefix("rp").strip().replace(" ", "")
        if raw.startswith("="):
            raise CellError(_("Berisi rumus Excel, bukan nilai. Salin sel lalu tempel sebagai nilai (Paste Values)."))
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,0+)?", raw):
            raw = raw.split(",")[0].replace(".", "")
        elif re.fullmatch(r"\d+[.,]0+", raw):
            raw = re.split(r"[.,]", raw)[0]
        try:
            number = int(Decimal(raw)) if raw and Decimal(raw) == int(Decimal(raw)) else None  # type: ignore[assignment]
        except InvalidOperation:
            number = None  # type: ignore[assignment]
        if number is None:
            raise CellError(_("Harus berupa angka bulat (tertulis: %(v)s).") % {"v": str(value).strip()[:40]})
    if not minimum <= number <= maximum:
        raise CellError(_("Harus antara %(a)s dan %(b)s.") % {"a": minimum, "b": maximum})
    return number


def yes_no(value: object, *, default: bool = True) -> bool:
    """Ya/Tidak, 1/0, Aktif/Nonaktif (empty: `default`)."""
    if is_blank(value):
        return default
    if isinstance(value, bool):
        return value
    raw = " ".join(str(value).strip().lower().split())
    if raw.endswith(".0"):
        raw = raw[:-2]
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise CellError(_("Isi dengan Ya atau Tidak (tertulis: %(v)s).") % {"v": str(value).strip()[:40]})


def choice(value: object, allowed: dict[str, str], *, required: bool = True) -> str | None:
    """One of `allowed` (a mapping of accepted spellings, lower case, to the stored value)."""
    if is_blank(value):
        if required:
            raise CellError(_("Wajib diisi."))
        return None
    raw = " ".join(str(value).strip().lower().replace("_", " ").replace("-", " ").split())
    if raw in allowed:
        return allowed[raw]
    shown = sorted(set(allowed.values()))
    raise CellError(_("Tidak dikenal: %(v)s. Pilihan: %(c)s.") % {"v": str(value).strip()[:40], "c": ", ".join(shown)})


def email(value: object) -> str | None:
    cleaned = text(value, 200)
    if not cleaned:
        return None
    if not _EMAIL.match(cleaned):
        raise CellError(_("Alamat email tidak sah: %(v)s.") % {"v": cleaned[:60]})
    return cleaned.lower()


def phone(value: object) -> str | None:
    """A phone number as digits with an optional leading +; Excel's number form (81234567890) gets its
    leading 0 back."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = re.sub(r"[\s\-().]", "", str(value).strip())
    if isinstance(value, int) and raw.startswith("8"):
        raw = "0" + raw
    if not re.fullmatch(r"\+?\d{8,15}", raw):
        raise CellError(_("Nomor telepon tidak sah: %(v)s.") % {"v": str(value).strip()[:40]})
    return raw
