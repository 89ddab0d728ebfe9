"""The downloadable templates of each import kind: an XLSX with a "Data" sheet (header row, example rows,
every cell formatted as text so that Excel keeps NIPs and codes as typed) and a "Petunjuk" sheet (each
column: required or not, what it holds, an example); and the same header and examples as CSV
(semicolon-separated, UTF-8 with BOM: what Excel in an Indonesian locale opens correctly)."""

from __future__ import annotations

import csv
import io

import xlsxwriter
from sqlmodel import Session

from portal.i18n import _
from portal.services.imports.kinds import KINDS
from portal.services.imports.reading import DATA_SHEET


def xlsx_template(session: Session, kind_slug: str) -> bytes:
    kind = KINDS[kind_slug]
    columns = kind.columns_for(session)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    text = book.add_format({"num_format": "@"})
    head = book.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1, "num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    data = book.add_worksheet(DATA_SHEET)
    for i, column in enumerate(columns):
        data.set_column(i, i, max(14, len(column.header) + 4), text)
        data.write_string(0, i, column.header + (" *" if column.required else ""), head)
    for r, example in enumerate(kind.examples, start=1):
        for i, column in enumerate(columns):
            data.write_string(r, i, str(example.get(column.key, column.example)), text)
    data.freeze_panes(1, 0)
    guide = book.add_worksheet(_("Petunjuk"))
    guide.set_column(0, 0, 24)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 2, 70, wrap)
    guide.set_column(3, 3, 28)
    guide.write_row(0, 0, [_("Kolom"), _("Wajib"), _("Isi"), _("Contoh")], head)
    for r, column in enumerate(columns, start=1):
        guide.write_row(r, 0, [column.header, _("Ya") if column.required else _("Tidak"), column.help, column.example])
    notes = [
        _("Isi data di lembar \u201c%(s)s\u201d mulai baris 2; baris contoh boleh ditimpa atau dihapus.") % {"s": DATA_SHEET},
        _("Kolom bertanda * wajib diisi. Kolom yang dihapus dari berkas tidak mengubah data yang sudah ada; sel kosong pada kolom yang ada mengosongkan nilainya."),
        _("Ketik NIP dan kode sebagai teks (sel di templat ini sudah berformat Teks) agar Excel tidak membulatkannya."),
        _("Mengimpor berkas yang sama dua kali tidak mengubah apa pun."),
    ]
    for i, note in enumerate(notes, start=len(columns) + 3):
        guide.write_string(i, 0, note)
    book.close()
    return out.getvalue()


def csv_template(session: Session, kind_slug: str) -> bytes:
    kind = KINDS[kind_slug]
    columns = kind.columns_for(session)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for example in kind.examples:
        writer.writerow([example.get(c.key, c.example) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
