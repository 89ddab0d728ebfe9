"""Demo organisation: units (a slice of Pemerintah Kota Tanjungpinang), position classes with their
default managerial levels, and positions with their technical standards."""

from __future__ import annotations

from portal.rules import POSITION_CLASS_LABELS

# --------------------------------------------------------------------------- organisation units

UNITS = [
    {"code": "PEMKOT", "name": "Pemerintah Kota Tanjungpinang", "parent_code": None},
    {
        "code": "BKPSDM",
        "name": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "parent_code": "PEMKOT",
    },
    {"code": "DISDUKCAPIL", "name": "Dinas Kependudukan dan Pencatatan Sipil", "parent_code": "PEMKOT"},
    {"code": "DINKES", "name": "Dinas Kesehatan", "parent_code": "PEMKOT"},
    {"code": "PKM-BATU10", "name": "UPTD Puskesmas Batu 10", "parent_code": "DINKES"},
    {"code": "PKM-SEIJANG", "name": "UPTD Puskesmas Sei Jang", "parent_code": "DINKES"},
    {"code": "DISKOMINFO", "name": "Dinas Komunikasi dan Informatika", "parent_code": "PEMKOT"},
    {"code": "KEC-BUKITBESTARI", "name": "Kecamatan Bukit Bestari", "parent_code": "PEMKOT"},
]

# Unit groups used by technical competencies (which units a competency applies to).
_HEALTH_UNITS = ["DINKES", "PKM-BATU10", "PKM-SEIJANG"]

# --------------------------------------------------------------------------- position classes

# The classes, their labels and default managerial levels are rules: portal.rules.
POSITION_CLASSES = list(POSITION_CLASS_LABELS.items())


# --------------------------------------------------------------------------- positions

# `technical` lists (competency code, required level); managerial and socio-cultural standards
# come from MANAGERIAL_DEFAULT_LEVEL by position class.
POSITIONS = [
    # ---- Sekretariat Daerah
    {
        "key": "sekda",
        "name": "Sekretaris Daerah",
        "position_class": "jpt_madya",
        "unit_code": "PEMKOT",
        "technical": [("T-KEC-3", 5), ("T-KOM-1", 4)],
    },
    {
        "key": "analis-kebijakan-utama",
        "name": "Analis Kebijakan Ahli Utama",
        "position_class": "fungsional_ahli_utama",
        "unit_code": "PEMKOT",
        "technical": [("T-KEC-3", 5)],
    },
    # ---- BKPSDM
    {
        "key": "kaban-bkpsdm",
        "name": "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "position_class": "jpt_pratama",
        "unit_code": "BKPSDM",
        "technical": [("T-KPG-1", 4), ("T-KPG-2", 4), ("T-KPG-3", 3)],
    },
    {
        "key": "sekretaris-bkpsdm",
        "name": "Sekretaris BKPSDM",
        "position_class": "administrator",
        "unit_code": "BKPSDM",
        "technical": [("T-KPG-1", 3), ("T-KPG-3", 3)],
    },
    {
        "key": "kabid-bangkom",
        "name": "Kepala Bidang Pengembangan Kompetensi Aparatur",
        "position_class": "administrator",
        "unit_code": "BKPSDM",
        "technical": [("T-KPG-2", 4), ("T-KPG-1", 3)],
    },
    {
        "key": "kabid-pengadaan-info",
        "name": "Kepala Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian",
        "position_class": "administrator",
        "unit_code": "BKPSDM",
        "technical": [("T-KPG-1", 4), ("T-KPG-3", 3)],
    },
    {
        "key": "kasubbag-umum-bkpsdm",
        "name": "Kepala Subbagian Umum dan Kepegawaian",
        "position_class": "pengawas",
        "unit_code": "BKPSDM",
        "technical": [("T-KPG-1", 2), ("T-KPG-3", 2)],
    },
    {
        "key": "analis-sdm-madya",
        "name": "Analis Sumber Daya Manusia Aparatur Ahli Madya",
        "position_class": "fungsional_ahli_madya",
        "unit_code": "BKPSDM",
        "technical": [("T-KPG-2", 4), ("T-KPG-1", 3)],
    },
    {
        "key": "analis-sdm-muda",
        "name": "Analis Sumber Daya Manusia Aparatur Ahli Muda",
        "position_class": "fungsional_ahli_muda",
        "unit_code": "BKPSDM",
        "technical": [("T-KPG-2", 3), ("T-KPG-1", 3), ("T-KPG-3", 2)],
    },
    {
        "key": "pengolah-data-kepegawaian",
        "name": "Pengolah Data Kepegawaian",
        "position_class": "pelaksana",
        "unit_code": "BKPSDM",
        "technical": [("T-KPG-3", 2), ("T-KPG-1", 1)],
    },
    {
        "key": "pengadm-umum-bkpsdm",
        "name": "Pengadministrasi Umum",
        "position_class": "pelaksana",
        "unit_code": "BKPSDM",
        "technical": [("T-KPG-1", 1), ("T-KPG-3", 1)],
    },
    # ---- Disdukcapil
    {
        "key": "kadis-dukcapil",
        "name": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "position_class": "jpt_pratama",
        "unit_code": "DISDUKCAPIL",
        "technical": [("T-DKP-1", 4), ("T-DKP-2", 4), ("T-DKP-3", 4)],
    },
    {
        "key": "kabid-dafduk",
        "name": "Kepala Bidang Pelayanan Pendaftaran Penduduk",
        "position_class": "administrator",
        "unit_code": "DISDUKCAPIL",
        "technical": [("T-DKP-1", 3), ("T-DKP-3", 3)],
    },
    {
        "key": "kabid-capil",
        "name": "Kepala Bidang Pelayanan Pencatatan Sipil",
        "position_class": "administrator",
        "unit_code": "DISDUKCAPIL",
        "technical": [("T-DKP-2", 3), ("T-DKP-1", 3)],
    },
    {
        "key": "adminduk-pertama",
        "name": "Administrator Database Kependudukan Ahli Pertama",
        "position_class": "fungsional_ahli_pertama",
        "unit_code": "DISDUKCAPIL",
        "technical": [("T-DKP-3", 2), ("T-DKP-1", 2)],
    },
    {
        "key": "pengelola-data-dukcapil",
        "name": "Pengelola Data Kependudukan",
        "position_class": "pelaksana",
        "unit_code": "DISDUKCAPIL",
        "technical": [("T-DKP-3", 1), ("T-DKP-1", 2)],
    },
    {
        "key": "petugas-pelayanan-dukcapil",
        "name": "Petugas Pelayanan Administrasi Kependudukan",
        "position_class": "pelaksana",
        "unit_code": "DISDUKCAPIL",
        "technical": [("T-DKP-1", 2), ("T-DKP-2", 1)],
    },
    # ---- Dinas Kesehatan
    {
        "key": "kadis-dinkes",
        "name": "Kepala Dinas Kesehatan",
        "position_class": "jpt_pratama",
        "unit_code": "DINKES",
        "technical": [("T-KES-1", 4), ("T-KES-3", 4), ("T-KES-2", 3)],
    },
    {
        "key": "kabid-p2p",
        "name": "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
        "position_class": "administrator",
        "unit_code": "DINKES",
        "technical": [("T-KES-3", 3), ("T-KES-2", 3)],
    },
    {
        "key": "epidemiolog-muda",
        "name": "Epidemiolog Kesehatan Ahli Muda",
        "position_class": "fungsional_ahli_muda",
        "unit_code": "DINKES",
        "technical": [("T-KES-3", 3)],
    },
    # ---- UPTD Puskesmas Batu 10
    {
        "key": "kapus-batu10",
        "name": "Kepala UPTD Puskesmas Batu 10",
        "position_class": "pengawas",
        "unit_code": "PKM-BATU10",
        "technical": [("T-KES-1", 3), ("T-KES-2", 3), ("T-KES-4", 3), ("T-KES-3", 2)],
    },
    {
        "key": "dokter-pertama-batu10",
        "name": "Dokter Ahli Pertama",
        "position_class": "fungsional_ahli_pertama",
        "unit_code": "PKM-BATU10",
        "technical": [("T-KES-2", 2), ("T-KES-3", 2)],
    },
    {
        "key": "perawat-terampil-batu10",
        "name": "Perawat Terampil",
        "position_class": "fungsional_terampil",
        "unit_code": "PKM-BATU10",
        "technical": [("T-KES-2", 1)],
    },
    {
        "key": "bidan-mahir-batu10",
        "name": "Bidan Mahir",
        "position_class": "fungsional_mahir",
        "unit_code": "PKM-BATU10",
        "technical": [("T-KES-2", 2)],
    },
    {
        "key": "petugas-pendaftaran-batu10",
        "name": "Petugas Pendaftaran Pasien",
        "position_class": "pelaksana",
        "unit_code": "PKM-BATU10",
        "technical": [("T-KES-4", 2), ("T-KES-2", 1)],
    },
    # ---- UPTD Puskesmas Sei Jang
    {
        "key": "kapus-seijang",
        "name": "Kepala UPTD Puskesmas Sei Jang",
        "position_class": "pengawas",
        "unit_code": "PKM-SEIJANG",
        "technical": [("T-KES-1", 3), ("T-KES-2", 3), ("T-KES-4", 3), ("T-KES-3", 2)],
    },
    {
        "key": "dokter-madya-seijang",
        "name": "Dokter Ahli Madya",
        "position_class": "fungsional_ahli_madya",
        "unit_code": "PKM-SEIJANG",
        "technical": [("T-KES-2", 4), ("T-KES-3", 3)],
    },
    {
        "key": "perawat-penyelia-seijang",
        "name": "Perawat Penyelia",
        "position_class": "fungsional_penyelia",
        "unit_code": "PKM-SEIJANG",
        "technical": [("T-KES-2", 3)],
    },
    {
        "key": "petugas-pendaftaran-seijang",
        "name": "Petugas Pendaftaran Pasien",
        "position_class": "pelaksana",
        "unit_code": "PKM-SEIJANG",
        "technical": [("T-KES-4", 2), ("T-KES-2", 1)],
    },
    # ---- Diskominfo
    {
        "key": "kadis-kominfo",
        "name": "Kepala Dinas Komunikasi dan Informatika",
        "position_class": "jpt_pratama",
        "unit_code": "DISKOMINFO",
        "technical": [("T-KOM-1", 4), ("T-KOM-3", 4), ("T-KOM-2", 3)],
    },
    {
        "key": "kabid-aptika",
        "name": "Kepala Bidang Aplikasi Informatika",
        "position_class": "administrator",
        "unit_code": "DISKOMINFO",
        "technical": [("T-KOM-1", 3), ("T-KOM-3", 3), ("T-KOM-2", 3)],
    },
    {
        "key": "prakom-pertama",
        "name": "Pranata Komputer Ahli Pertama",
        "position_class": "fungsional_ahli_pertama",
        "unit_code": "DISKOMINFO",
        "technical": [("T-KOM-1", 2), ("T-KOM-2", 2), ("T-KOM-3", 2)],
    },
    {
        "key": "prakom-terampil",
        "name": "Pranata Komputer Terampil",
        "position_class": "fungsional_terampil",
        "unit_code": "DISKOMINFO",
        "technical": [("T-KOM-3", 2), ("T-KOM-2", 1)],
    },
    # ---- Kecamatan Bukit Bestari
    {
        "key": "camat-bukitbestari",
        "name": "Camat Bukit Bestari",
        "position_class": "administrator",
        "unit_code": "KEC-BUKITBESTARI",
        "technical": [("T-KEC-1", 3), ("T-KEC-2", 3), ("T-KEC-3", 3)],
    },
    {
        "key": "sekcam-bukitbestari",
        "name": "Sekretaris Camat",
        "position_class": "administrator",
        "unit_code": "KEC-BUKITBESTARI",
        "technical": [("T-KEC-3", 3), ("T-KEC-1", 3)],
    },
    {
        "key": "kasi-pelayanan-kec",
        "name": "Kepala Seksi Pelayanan Umum",
        "position_class": "pengawas",
        "unit_code": "KEC-BUKITBESTARI",
        "technical": [("T-KEC-1", 2), ("T-KEC-3", 2)],
    },
    {
        "key": "pengadm-pelayanan-kec",
        "name": "Pengadministrasi Pelayanan",
        "position_class": "pelaksana",
        "unit_code": "KEC-BUKITBESTARI",
        "technical": [("T-KEC-1", 1), ("T-KEC-3", 1)],
    },
]
