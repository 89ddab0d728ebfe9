"""The words of a reminder e-mail: short, in the recipient's language (gettext; Bahasa Indonesia today),
plain text, with an absolute link (PORTAL_BASE_URL) to the task. Nothing here is stored: the record of a
reminder keeps its kind and number of items, never this text.

`locale` is the catalogue to write in: the language chosen on the recipient's account, else the
portal's (`batch.deliver` passes it and renders inside `i18n.use_locale` of the same language); every
sentence goes through that catalogue's gettext, called `_` here so that the usual extraction finds the
messages (never inside an f-string: the extraction does not look there)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal import i18n
from portal.rules import JP_TARGET
from portal.services.reminders._types import AKPK_SELF, AKPK_TEAM, JP_TARGET as JP_KIND, L1_SURVEY, L3_RATING, Item, Recipient
from portal.settings import Settings

LIST_LIMIT = 10  # items named in one e-mail; the rest are counted ("dan 3 lainnya")


@dataclass(frozen=True)
class Message:
    subject: str
    text: str


def link(settings: Settings, path: str) -> str:
    return settings.base_url.rstrip("/") + path


class _Writer:
    def __init__(self, settings: Settings, locale: str | None) -> None:
        self.locale = locale or settings.locale
        self.settings = settings
        self.gettext: Callable[[str], str] = i18n.translations(self.locale).gettext

    def __call__(self, message: str, **values: object) -> str:
        text = self.gettext(message)
        return text % values if values else text

    def date(self, value: object) -> str:
        return i18n.format_date(value, self.locale, zone=self.settings.timezone)  # type: ignore[arg-type]

    def bullets(self, items: tuple[Item, ...], line: Callable[[Item], str]) -> str:
        lines = [f"- {line(i)}" for i in items[:LIST_LIMIT]]
        if len(items) > LIST_LIMIT:
            lines.append("- " + self("dan %(n)s lainnya", n=len(items) - LIST_LIMIT))
        return "\n".join(lines)


def _l1(_: _Writer, r: Recipient) -> Message:
    items = r.items
    if len(items) == 1:
        subject = _("Pengingat: isi survei \"%(t)s\"", t=items[0].title)
        where = link(_.settings, f"/survei/{items[0].target_id}")
    else:
        subject = _("Pengingat: %(n)s survei pelatihan belum diisi", n=len(items))
        where = link(_.settings, "/survei")
    body = "\n\n".join([
        _("Anda belum mengisi survei pelatihan berikut:"),
        _.bullets(items, lambda i: _("%(t)s (batas %(d)s)", t=i.title, d=_.date(i.due))),
        _("Isi survei di Portal Kompetensi ASN:") + "\n" + where,
        _("Pendapat Anda membantu BKPSDM memperbaiki pelatihan berikutnya."),
    ])
    return Message(subject, body)


def _l3(_: _Writer, r: Recipient) -> Message:
    items = r.items
    if len(items) == 1:
        subject = _("Pengingat: nilai penerapan hasil pelatihan %(p)s", p=items[0].person)
        where = link(_.settings, f"/penerapan/atasan/{items[0].target_id}")
    else:
        subject = _("Pengingat: %(n)s penilaian penerapan hasil pelatihan menunggu Anda", n=len(items))
        where = link(_.settings, "/penerapan")

    def line(i: Item) -> str:
        late = " " + _("(terlambat)") if i.late else ""
        return _("%(p)s: %(t)s (batas %(d)s)", p=i.person, t=i.title, d=_.date(i.due)) + late

    body = "\n\n".join([
        _("Sebagai atasan langsung, Anda diminta menilai penerapan hasil pelatihan oleh bawahan berikut:"),
        _.bullets(items, line),
        _("Isi penilaian di Portal Kompetensi ASN:") + "\n" + where,
    ])
    return Message(subject, body)


def _akpk_self(_: _Writer, r: Recipient) -> Message:
    cycle = r.items[0]
    subject = _("Pengingat: penilaian kompetensi diri %(c)s", c=cycle.title)
    body = "\n\n".join([
        _("Penilaian kompetensi diri Anda untuk %(c)s belum dikirim. Batas pengisian %(d)s.", c=cycle.title, d=_.date(cycle.due)),
        _("Isi atau lanjutkan di Portal Kompetensi ASN; jawaban tersimpan otomatis:") + "\n" + link(_.settings, "/penilaian"),
    ])
    return Message(subject, body)


def _akpk_team(_: _Writer, r: Recipient) -> Message:
    items = r.items
    first = items[0]
    subject = _("Pengingat: penilaian kompetensi %(n)s bawahan langsung", n=len(items))
    body = "\n\n".join([
        _("Penilaian kompetensi oleh atasan untuk %(c)s belum Anda kirim bagi bawahan berikut (batas %(d)s):", c=first.title, d=_.date(first.due)),
        _.bullets(items, lambda i: i.person),
        _("Nilai di Portal Kompetensi ASN:") + "\n" + link(_.settings, "/tim"),
    ])
    return Message(subject, body)


def _jp(_: _Writer, r: Recipient) -> Message:
    subject = _("Capaian JP Anda tahun %(y)s: %(jp)s dari %(target)s JP", y=r.year, jp=r.jp, target=JP_TARGET)
    body = "\n\n".join([
        _("Setiap ASN berhak dan wajib mendapat paling sedikit %(target)s JP pengembangan kompetensi setiap tahun. "
          "Tercatat %(jp)s JP untuk Anda pada tahun %(y)s: kurang %(n)s JP.", target=JP_TARGET, jp=r.jp, y=r.year, n=JP_TARGET - r.jp),
        _("Selain pelatihan, kegiatan seperti seminar, workshop, e-learning, coaching dan mentoring juga dihitung. "
          "Saran kegiatan sesuai hasil penilaian kompetensi Anda:") + "\n" + link(_.settings, "/penilaian"),
        _("Capaian JP Anda ada di Beranda:") + "\n" + link(_.settings, "/"),
        _("Bicarakan rencana pengembangan dengan atasan langsung atau BKPSDM."),
    ])
    return Message(subject, body)


_COMPOSERS = {L1_SURVEY: _l1, L3_RATING: _l3, AKPK_SELF: _akpk_self, AKPK_TEAM: _akpk_team, JP_KIND: _jp}


def compose(recipient: Recipient, settings: Settings, locale: str | None = None) -> Message:
    """The e-mail of one recipient: a greeting, what is pending with its last day, the link, a footer."""
    _ = _Writer(settings, locale)
    msg = _COMPOSERS[recipient.kind](_, recipient)
    greeting = _("Yth. %(name)s,", name=recipient.name)
    thanks = _("Terima kasih.")  # outside the f-string: the extraction does not look inside one
    footer = _("Pesan ini dikirim otomatis oleh Portal Kompetensi ASN; mohon tidak membalas email ini.")
    return Message(msg.subject, f"{greeting}\n\n{msg.text}\n\n{thanks}\n\n-- \n{footer}\n")
