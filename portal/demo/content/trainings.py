"""Demo development activities (dates are offsets in days from the day the demo is seeded)."""

from __future__ import annotations

from portal.demo.content.organisation import UNITS

# --------------------------------------------------------------------------- development activities

_ALL_UNITS = [u["code"] for u in UNITS]

TRAININGS = [
    {
        "code": "PLT-PPP-01",
        "title": "Pelatihan Pelayanan Publik Prima",
        "kind": "pelatihan",
        "mode": "klasikal",
        "provider": "BPSDM Provinsi Kepulauan Riau",
        "start_offset_days": -200,
        "duration_days": 3,
        "jp": 24,
        "competency_codes": ["M5", "M3", "T-DKP-1", "T-KEC-1"],
        "participants": [
            "petugas-pelayanan-dukcapil",
            "pengelola-data-dukcapil",
            "pengadm-pelayanan-kec",
            "kasi-pelayanan-kec",
            "petugas-pendaftaran-batu10",
            "petugas-pendaftaran-seijang",
        ],
        "description": (
            "Membekali petugas garis depan dengan standar pelayanan, etika melayani dan cara "
            "menangani keluhan masyarakat secara santun dan tuntas."
        ),
    },
    {
        "code": "PKP-01",
        "title": "Pelatihan Kepemimpinan Pengawas (PKP) Angkatan I",
        "kind": "pelatihan",
        "mode": "klasikal",
        "provider": "BPSDM Provinsi Kepulauan Riau",
        "start_offset_days": -150,
        "duration_days": 10,
        "jp": 40,
        "competency_codes": ["M4", "M6", "M7", "M8"],
        "participants": [
            "kasubbag-umum-bkpsdm",
            "kapus-batu10",
            "kapus-seijang",
            "kasi-pelayanan-kec",
        ],
        "description": (
            "Tahap klasikal pelatihan kepemimpinan bagi pejabat pengawas untuk memimpin pelaksanaan "
            "kegiatan dan mengembangkan kinerja tim di unitnya."
        ),
    },
    {
        "code": "KRS-ING-01",
        "title": "Kursus Bahasa Inggris untuk Pelayanan",
        "kind": "kursus",
        "mode": "klasikal",
        "provider": "Lembaga Bahasa Universitas Maritim Raja Ali Haji",
        "start_offset_days": -180,
        "duration_days": 10,
        "jp": 40,
        "competency_codes": ["M3", "M5"],
        "participants": [
            "petugas-pelayanan-dukcapil",
            "pengadm-pelayanan-kec",
            "petugas-pendaftaran-batu10",
            "petugas-pendaftaran-seijang",
            "DISKOMINFO",
        ],
        "description": (
            "Kursus percakapan bahasa Inggris praktis agar petugas dapat melayani wisatawan dan warga "
            "negara asing yang datang ke loket pelayanan."
        ),
    },
    {
        "code": "SEM-TI-01",
        "title": "Seminar Teknologi Informasi untuk Pelayanan Publik",
        "kind": "seminar",
        "mode": "klasikal",
        "provider": "Dinas Komunikasi dan Informatika Kota Tanjungpinang",
        "start_offset_days": -120,
        "duration_days": 1,
        "jp": 8,
        "competency_codes": ["T-KOM-3", "M7"],
        "participants": ["DISKOMINFO", "BKPSDM", "DISDUKCAPIL", "kabid-p2p", "camat-bukitbestari"],
        "description": (
            "Seminar tentang pemanfaatan aplikasi, data dan kecerdasan buatan untuk mempercepat "
            "pelayanan publik di lingkungan pemerintah kota."
        ),
    },
    {
        "code": "ELN-AKS-01",
        "title": "E-learning Integritas dan Antikorupsi",
        "kind": "e_learning",
        "mode": "non_klasikal",
        "provider": "Anti-Corruption Learning Center KPK",
        "start_offset_days": -120,
        "duration_days": 10,
        "jp": 8,
        "competency_codes": ["M1"],
        "participants": list(_ALL_UNITS),
        "description": (
            "Modul daring mandiri tentang benturan kepentingan, gratifikasi dan pencegahan korupsi "
            "dalam pekerjaan sehari-hari ASN."
        ),
    },
    {
        "code": "PLT-MPKM-01",
        "title": "Pelatihan Manajemen Puskesmas",
        "kind": "pelatihan",
        "mode": "klasikal",
        "provider": "Kementerian Kesehatan",
        "start_offset_days": -100,
        "duration_days": 5,
        "jp": 40,
        "competency_codes": ["T-KES-1", "T-KES-4", "M4"],
        "participants": ["PKM-BATU10", "PKM-SEIJANG"],
        "description": (
            "Pelatihan siklus manajemen puskesmas: perencanaan, lokakarya mini, pengendalian mutu "
            "dan penilaian kinerja puskesmas."
        ),
    },
    {
        "code": "BMT-SIAK-01",
        "title": "Bimtek SIAK Terpusat",
        "kind": "bimtek",
        "mode": "klasikal",
        "provider": "Direktorat Jenderal Kependudukan dan Pencatatan Sipil Kemendagri",
        "start_offset_days": -95,
        "duration_days": 3,
        "jp": 24,
        "competency_codes": ["T-DKP-3", "T-DKP-1"],
        "participants": ["DISDUKCAPIL"],
        "description": (
            "Bimbingan teknis pengoperasian SIAK Terpusat, termasuk perekaman, konsolidasi data "
            "dan penanganan data ganda."
        ),
    },
    {
        "code": "WS-AKPK-01",
        "title": "Workshop Penyusunan AKPK dan Rencana Pengembangan Kompetensi",
        "kind": "workshop",
        "mode": "klasikal",
        "provider": "Puslatbang KMP LAN",
        "start_offset_days": -150,
        "duration_days": 2,
        "jp": 16,
        "competency_codes": ["T-KPG-2", "M6"],
        "participants": ["analis-sdm-madya", "analis-sdm-muda", "kabid-bangkom", "sekretaris-bkpsdm"],
        "description": (
            "Praktik menyusun analisis kebutuhan pengembangan kompetensi dari standar kompetensi "
            "jabatan hingga rencana pengembangan tahunan."
        ),
    },
    {
        "code": "WS-KAMI-01",
        "title": "Workshop Keamanan Informasi",
        "kind": "workshop",
        "mode": "klasikal",
        "provider": "Badan Siber dan Sandi Negara",
        "start_offset_days": -40,
        "duration_days": 2,
        "jp": 16,
        "competency_codes": ["T-KOM-2"],
        "participants": [
            "DISKOMINFO",
            "adminduk-pertama",
            "pengolah-data-kepegawaian",
            "kabid-pengadaan-info",
        ],
        "description": (
            "Latihan mengenali ancaman siber, mengamankan aplikasi pemerintah dan menangani insiden "
            "kebocoran data."
        ),
    },
    {
        "code": "COA-PK-01",
        "title": "Coaching Pengambilan Keputusan bagi Pejabat Administrator",
        "kind": "coaching",
        "mode": "non_klasikal",
        "provider": "BKPSDM Kota Tanjungpinang",
        "start_offset_days": -20,
        "duration_days": 5,
        "jp": 16,
        "competency_codes": ["M8", "M6"],
        "participants": [
            "sekretaris-bkpsdm",
            "kabid-bangkom",
            "kabid-pengadaan-info",
            "kabid-dafduk",
            "kabid-capil",
            "kabid-p2p",
            "kabid-aptika",
            "camat-bukitbestari",
            "sekcam-bukitbestari",
        ],
        "description": (
            "Sesi coaching terstruktur bersama coach internal untuk melatih pengambilan keputusan "
            "berbasis data pada persoalan nyata di unit masing-masing."
        ),
    },
    {
        "code": "PLT-ANT-01",
        "title": "Pelatihan Manajemen Antrean Pelayanan",
        "kind": "pelatihan",
        "mode": "klasikal",
        "provider": "BKPSDM Kota Tanjungpinang",
        "start_offset_days": -10,
        "duration_days": 2,
        "jp": 16,
        "competency_codes": ["T-KES-4", "M5"],
        "participants": [
            "petugas-pendaftaran-batu10",
            "petugas-pendaftaran-seijang",
            "petugas-pelayanan-dukcapil",
            "pengadm-pelayanan-kec",
        ],
        "description": (
            "Pelatihan mengatur loket, antrean daring dan informasi waktu tunggu agar pelayanan "
            "lebih tertib dan pengunjung tidak menumpuk."
        ),
    },
    {
        "code": "PLT-SKDR-01",
        "title": "Pelatihan Surveilans dan Respons Kejadian Luar Biasa",
        "kind": "pelatihan",
        "mode": "klasikal",
        "provider": "Kementerian Kesehatan",
        "start_offset_days": 15,
        "duration_days": 4,
        "jp": 32,
        "competency_codes": ["T-KES-3", "M8"],
        "participants": [
            "epidemiolog-muda",
            "kabid-p2p",
            "dokter-pertama-batu10",
            "dokter-madya-seijang",
            "perawat-penyelia-seijang",
        ],
        "description": (
            "Pelatihan deteksi dini, penyelidikan epidemiologi dan respons cepat terhadap kejadian "
            "luar biasa penyakit menular di tingkat kota dan puskesmas."
        ),
    },
]
