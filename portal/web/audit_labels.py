"""The Indonesian words for audit events, shared by the audit log viewer (/admin/audit), Data Saya
(/data-saya) and their downloads. An action not listed here is shown by its code: whatever an area
writes to the log is visible, named or not. Add a line when an area starts writing a new action."""

from __future__ import annotations

from portal.i18n import N_, _
from portal.services.privacy import VIEW_ACTION

ACTION_LABELS: dict[str, str] = {
    # accounts (login, sessions, roles, activation: the accounts area)
    "login": N_("Masuk"),
    "login.failed": N_("Gagal masuk"),
    "logout": N_("Keluar"),
    "session.end": N_("Sesi diakhiri"),
    "password.change": N_("Kata sandi diganti"),
    "password.reset": N_("Kata sandi diatur ulang"),
    "activation.issue": N_("Tautan aktivasi dibuat"),
    "activation.use": N_("Akun diaktifkan"),
    "role.grant": N_("Peran diberikan"),
    "role.revoke": N_("Peran dicabut"),
    "account.deactivate": N_("Akun dinonaktifkan"),
    "account.unlock": N_("Kunci masuk dibuka"),
    # personal data
    VIEW_ACTION: N_("Melihat data perorangan"),
    "mydata.download": N_("Mengunduh Data Saya"),
    "correction.create": N_("Mengajukan koreksi data"),
    "correction.done": N_("Menyelesaikan permintaan koreksi"),
    "audit.export": N_("Mengekspor log audit"),
    # reports and imports
    "report.export": N_("Mengekspor laporan"),
    "import.apply": N_("Menerapkan impor data"),
    "import.undo": N_("Membatalkan impor data"),
    # master data
    "employee.create": N_("Menambah pegawai"),
    "employee.update": N_("Mengubah data pegawai"),
    "employee.deactivate": N_("Menonaktifkan pegawai"),
    "employee.reactivate": N_("Mengaktifkan kembali pegawai"),
    "unit.create": N_("Menambah unit kerja"),
    "unit.update": N_("Mengubah unit kerja"),
    "position.create": N_("Menambah jabatan"),
    "position.update": N_("Mengubah jabatan"),
    # AKPK
    "akpk_submit": N_("Mengirim penilaian kompetensi"),
    "akpk_cycle_create": N_("Membuat siklus AKPK"),
    "akpk_cycle_update": N_("Mengubah siklus AKPK"),
    "akpk_cycle_open": N_("Membuka siklus AKPK"),
    "akpk_cycle_close": N_("Menutup siklus AKPK"),
    "akpk.enrol_gap": N_("Mendaftarkan pegawai ke pelatihan dari peta kesenjangan"),
    # trainings, surveys, L3
    "training.create": N_("Menambah pelatihan"),
    "training.update": N_("Mengubah pelatihan"),
    "training.enrol": N_("Mendaftarkan peserta"),
    "training.unenrol": N_("Menghapus peserta"),
    "training.attendance": N_("Mencatat kehadiran"),
    "training.survey": N_("Mengatur survei pelatihan"),
    "training.survey.close": N_("Menutup survei pelatihan"),
    "survey.submit": N_("Mengirim survei tidak anonim"),
    "l3.submit": N_("Mengirim penilaian penerapan (L3)"),
    "l3.reopen": N_("Membuka kembali penilaian penerapan (L3)"),
    # questionnaires
    "questionnaire.create": N_("Membuat kuesioner"),
    "questionnaire.update": N_("Mengubah kuesioner"),
    "questionnaire.copy": N_("Menyalin kuesioner ke versi baru"),
    "question.create": N_("Menambah pertanyaan"),
    "question.update": N_("Mengubah pertanyaan"),
    "question.delete": N_("Menghapus pertanyaan"),
}

# what a "view.person" event's detail names (its first word): the page that was opened
VIEW_PAGES: dict[str, str] = {
    "akpk.result": N_("Melihat hasil penilaian kompetensi (AKPK) perorangan"),
    "l3.result": N_("Melihat hasil penerapan pelatihan (L3) dan indeks dampak perorangan"),
    "master.person": N_("Membuka data pegawai di Data Master"),
}


def action_label(action: str, detail: str = "") -> str:
    """The words for one event: a view names the page opened; an unknown action shows its code."""
    if action == VIEW_ACTION:
        page = (detail or "").split(" ", 1)[0]
        if page in VIEW_PAGES:
            return _(VIEW_PAGES[page])
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def action_choices() -> list[tuple[str, str]]:
    """(action, words) for the viewer's "what" filter, by words."""
    return sorted(((a, _(w)) for a, w in ACTION_LABELS.items()), key=lambda pair: pair[1])
