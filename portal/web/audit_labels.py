"""The Indonesian words for audit events, shared by the audit log viewer (/admin/audit), Data Saya
(/data-saya) and their downloads. An action not listed here is shown by its code: whatever an area
writes to the log is visible, named or not. Add a line when an area starts writing a new action."""

from __future__ import annotations

from portal.i18n import _
from portal.services.privacy import VIEW_ACTION

ACTION_LABELS: dict[str, str] = {
    # accounts (login, sessions, roles, activation: the accounts area)
    "login": "Masuk",
    "login.failed": "Gagal masuk",
    "logout": "Keluar",
    "session.end": "Sesi diakhiri",
    "password.change": "Kata sandi diganti",
    "password.reset": "Kata sandi diatur ulang",
    "activation.issue": "Tautan aktivasi dibuat",
    "activation.use": "Akun diaktifkan",
    "role.grant": "Peran diberikan",
    "role.revoke": "Peran dicabut",
    "account.deactivate": "Akun dinonaktifkan",
    "account.unlock": "Kunci masuk dibuka",
    # personal data
    VIEW_ACTION: "Melihat data perorangan",
    "mydata.download": "Mengunduh Data Saya",
    "correction.create": "Mengajukan koreksi data",
    "correction.done": "Menyelesaikan permintaan koreksi",
    "audit.export": "Mengekspor log audit",
    # reports and imports
    "report.export": "Mengekspor laporan",
    "import.apply": "Menerapkan impor data",
    "import.undo": "Membatalkan impor data",
    # master data
    "employee.create": "Menambah pegawai",
    "employee.update": "Mengubah data pegawai",
    "employee.deactivate": "Menonaktifkan pegawai",
    "employee.reactivate": "Mengaktifkan kembali pegawai",
    "unit.create": "Menambah unit kerja",
    "unit.update": "Mengubah unit kerja",
    "position.create": "Menambah jabatan",
    "position.update": "Mengubah jabatan",
    # AKPK
    "akpk_submit": "Mengirim penilaian kompetensi",
    "akpk_cycle_create": "Membuat siklus AKPK",
    "akpk_cycle_update": "Mengubah siklus AKPK",
    "akpk_cycle_open": "Membuka siklus AKPK",
    "akpk_cycle_close": "Menutup siklus AKPK",
    "akpk.enrol_gap": "Mendaftarkan pegawai ke pelatihan dari peta kesenjangan",
    # trainings, surveys, L3
    "training.create": "Menambah pelatihan",
    "training.update": "Mengubah pelatihan",
    "training.enrol": "Mendaftarkan peserta",
    "training.unenrol": "Menghapus peserta",
    "training.attendance": "Mencatat kehadiran",
    "training.survey": "Mengatur survei pelatihan",
    "training.survey.close": "Menutup survei pelatihan",
    "survey.submit": "Mengirim survei tidak anonim",
    "l3.submit": "Mengirim penilaian penerapan (L3)",
    "l3.reopen": "Membuka kembali penilaian penerapan (L3)",
    # questionnaires
    "questionnaire.create": "Membuat kuesioner",
    "questionnaire.update": "Mengubah kuesioner",
    "questionnaire.copy": "Menyalin kuesioner ke versi baru",
    "question.create": "Menambah pertanyaan",
    "question.update": "Mengubah pertanyaan",
    "question.delete": "Menghapus pertanyaan",
}

# what a "view.person" event's detail names (its first word): the page that was opened
VIEW_PAGES: dict[str, str] = {
    "akpk.result": "Melihat hasil penilaian kompetensi (AKPK) perorangan",
    "l3.result": "Melihat hasil penerapan pelatihan (L3) dan indeks dampak perorangan",
    "master.person": "Membuka data pegawai di Data Master",
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
