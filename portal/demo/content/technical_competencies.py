"""Demo technical competencies per area (staffing, civil registration, health, ...), with a short behaviour
description per level, written for this project (the dictionary: competencies.py)."""

from __future__ import annotations

from portal.demo.content.organisation import _HEALTH_UNITS

TECHNICAL_COMPETENCIES = [
    # ---- teknis: kepegawaian (BKPSDM)
    {
        "code": "T-KPG-1",
        "name": "Manajemen ASN",
        "group": "teknis",
        "description": (
            "Menerapkan ketentuan manajemen ASN mulai dari perencanaan kebutuhan, pengadaan, mutasi "
            "dan kenaikan pangkat hingga pemberhentian."
        ),
        "levels": [
            "Memahami ketentuan dasar manajemen ASN dan menerapkannya pada berkas kepegawaian yang ditanganinya.",
            "Memproses usulan layanan kepegawaian bersama tim sesuai ketentuan dan tenggat yang berlaku.",
            "Memastikan seluruh layanan manajemen ASN di unitnya berjalan tertib, tepat waktu dan sesuai sistem merit.",
            "Mengoordinasikan penerapan manajemen ASN lintas perangkat daerah dan menyelesaikan kasus kepegawaian yang pelik.",
            "Merumuskan kebijakan manajemen ASN daerah yang berbasis sistem merit dan selaras dengan kebijakan nasional.",
        ],
        "unit_types": ["BKPSDM"],
    },
    {
        "code": "T-KPG-2",
        "name": "Pengembangan Kompetensi ASN",
        "group": "teknis",
        "description": (
            "Merencanakan, melaksanakan dan mengevaluasi pengembangan kompetensi ASN berdasarkan analisis "
            "kebutuhan dan standar kompetensi jabatan."
        ),
        "levels": [
            "Memahami jenis dan jalur pengembangan kompetensi serta mencatat capaian JP pegawai dengan benar.",
            "Membantu tim menyusun analisis kebutuhan pengembangan kompetensi dan mengolah hasil penilaiannya.",
            "Menyusun rencana pengembangan kompetensi unit dan mengevaluasi dampak pelatihan terhadap kinerja.",
            "Mengelola program pengembangan kompetensi lintas perangkat daerah dan bermitra dengan lembaga pelatihan.",
            "Menetapkan strategi pengembangan kompetensi daerah yang terhubung dengan manajemen talenta dan kebutuhan organisasi.",
        ],
        "unit_types": ["BKPSDM"],
    },
    {
        "code": "T-KPG-3",
        "name": "Sistem Informasi Kepegawaian",
        "group": "teknis",
        "description": (
            "Mengelola data dan aplikasi kepegawaian agar akurat, mutakhir, aman "
            "dan terhubung dengan sistem kepegawaian nasional."
        ),
        "levels": [
            "Memasukkan dan memutakhirkan data kepegawaian pada aplikasi sesuai petunjuk.",
            "Memvalidasi data kepegawaian bersama tim dan menindaklanjuti data yang tidak sesuai.",
            "Menjamin mutu data kepegawaian unit dan menyajikan laporan yang siap dipakai pimpinan.",
            "Memadukan data kepegawaian lintas aplikasi dan perangkat daerah dengan memperhatikan keamanan data.",
            "Merancang arsitektur sistem informasi kepegawaian daerah yang mendukung keputusan berbasis data.",
        ],
        "unit_types": ["BKPSDM"],
    },
    # ---- teknis: kependudukan dan pencatatan sipil
    {
        "code": "T-DKP-1",
        "name": "Pelayanan Administrasi Kependudukan",
        "group": "teknis",
        "description": (
            "Melayani penerbitan dokumen kependudukan seperti KK, KTP-el dan surat pindah "
            "secara cepat, akurat dan sesuai ketentuan."
        ),
        "levels": [
            "Memeriksa kelengkapan persyaratan dan melayani permohonan dokumen kependudukan sesuai prosedur.",
            "Menyelesaikan permohonan yang tidak lazim bersama tim dan menjelaskannya dengan bahasa yang mudah dipahami pemohon.",
            "Mengatur alur pelayanan adminduk di unit agar dokumen terbit sesuai standar waktu pelayanan.",
            "Mengembangkan pelayanan jemput bola yang terpadu dengan kecamatan, kelurahan dan fasilitas kesehatan.",
            "Merumuskan kebijakan pelayanan adminduk daerah yang menjamin setiap penduduk tercatat dan terlayani.",
        ],
        "unit_types": ["DISDUKCAPIL"],
    },
    {
        "code": "T-DKP-2",
        "name": "Pencatatan Sipil",
        "group": "teknis",
        "description": (
            "Mencatat peristiwa penting seperti kelahiran, kematian, perkawinan dan perceraian "
            "serta menerbitkan aktanya sesuai ketentuan."
        ),
        "levels": [
            "Memahami jenis peristiwa penting dan persyaratan penerbitan akta pencatatan sipil.",
            "Memverifikasi berkas dan menerbitkan akta bersama tim dengan teliti.",
            "Menjamin ketepatan dan keabsahan akta yang diterbitkan unit serta menangani permohonan pembetulan akta.",
            "Mengoordinasikan pencatatan peristiwa penting dengan instansi lain seperti rumah sakit, KUA dan pengadilan.",
            "Menetapkan strategi peningkatan cakupan kepemilikan akta di daerah berdasarkan analisis data.",
        ],
        "unit_types": ["DISDUKCAPIL"],
    },
    {
        "code": "T-DKP-3",
        "name": "Pengelolaan Data Kependudukan (SIAK)",
        "group": "teknis",
        "description": (
            "Mengelola basis data kependudukan dan aplikasi SIAK Terpusat, termasuk perekaman, "
            "konsolidasi dan pemanfaatan data."
        ),
        "levels": [
            "Mengoperasikan aplikasi SIAK untuk perekaman dan pemutakhiran data sesuai hak aksesnya.",
            "Memeriksa data ganda dan anomali bersama tim serta memperbaikinya sesuai prosedur.",
            "Mengelola mutu dan konsolidasi data kependudukan unit serta menyajikan profil kependudukan.",
            "Mengatur pemanfaatan data kependudukan oleh perangkat daerah dan lembaga pengguna melalui perjanjian kerja sama.",
            "Merancang tata kelola data kependudukan daerah yang aman dan menjadi rujukan perencanaan pembangunan.",
        ],
        "unit_types": ["DISDUKCAPIL"],
    },
    # ---- teknis: kesehatan (dinas and puskesmas)
    {
        "code": "T-KES-1",
        "name": "Manajemen Puskesmas",
        "group": "teknis",
        "description": (
            "Merencanakan, menggerakkan, mengawasi dan menilai kinerja puskesmas agar upaya kesehatan "
            "perorangan dan masyarakat berjalan efektif."
        ),
        "levels": [
            "Memahami siklus perencanaan, lokakarya mini dan penilaian kinerja puskesmas serta menjalankan perannya di dalamnya.",
            "Menyusun rencana kegiatan program bersama tim dan melaporkan capaiannya secara berkala.",
            "Memimpin perencanaan tingkat puskesmas, lokakarya mini dan penilaian kinerja untuk memperbaiki mutu layanan.",
            "Membina manajemen beberapa puskesmas dan membandingkan kinerjanya untuk perbaikan bersama.",
            "Merumuskan kebijakan penguatan puskesmas di daerah berdasarkan analisis kinerja dan kebutuhan masyarakat.",
        ],
        "unit_types": list(_HEALTH_UNITS),
    },
    {
        "code": "T-KES-2",
        "name": "Pelayanan Kesehatan Dasar",
        "group": "teknis",
        "description": (
            "Memberikan pelayanan promotif, preventif, kuratif dan rehabilitatif tingkat pertama "
            "sesuai standar profesi dan standar pelayanan."
        ),
        "levels": [
            "Memberikan pelayanan kesehatan dasar sesuai standar prosedur operasional dan kewenangan profesinya.",
            "Bekerja sama dengan tenaga kesehatan lain dalam tim untuk menangani pasien secara menyeluruh.",
            "Menjamin mutu layanan dan keselamatan pasien dalam pelayanan kesehatan dasar di unitnya.",
            "Mengembangkan sistem rujukan dan jejaring pelayanan kesehatan dasar lintas fasilitas.",
            "Menetapkan standar dan strategi pelayanan kesehatan dasar daerah berbasis bukti.",
        ],
        "unit_types": list(_HEALTH_UNITS),
    },
    {
        "code": "T-KES-3",
        "name": "Surveilans Kesehatan",
        "group": "teknis",
        "description": (
            "Mengumpulkan, mengolah dan menganalisis data penyakit dan faktor risiko secara terus-menerus "
            "untuk mendeteksi dan menanggapi masalah kesehatan."
        ),
        "levels": [
            "Mencatat dan melaporkan kasus penyakit berpotensi wabah tepat waktu sesuai format yang ditetapkan.",
            "Mengolah data surveilans bersama tim dan mengenali kenaikan kasus yang tidak biasa.",
            "Menganalisis tren penyakit di wilayah kerja dan menggerakkan respons cepat bila muncul sinyal kewaspadaan dini.",
            "Mengoordinasikan penyelidikan epidemiologi dan penanggulangan kejadian luar biasa lintas wilayah.",
            "Merancang sistem surveilans daerah yang terpadu dan menjadi dasar kebijakan pengendalian penyakit.",
        ],
        "unit_types": list(_HEALTH_UNITS),
    },
    {
        "code": "T-KES-4",
        "name": "Manajemen Antrean Pelayanan",
        "group": "teknis",
        "description": (
            "Mengatur alur pendaftaran dan antrean pasien agar waktu tunggu singkat, tertib dan adil, "
            "termasuk pemanfaatan antrean daring."
        ),
        "levels": [
            "Melayani pendaftaran pasien sesuai urutan antrean dan memberi informasi waktu tunggu dengan jelas.",
            "Bersama tim mengatur pembagian loket dan mengurai penumpukan antrean pada jam sibuk.",
            "Mengukur waktu tunggu dan memperbaiki alur pelayanan unit, termasuk memadukan antrean daring dan luring.",
            "Menyelaraskan sistem antrean lintas fasilitas pelayanan agar data dan pengalaman pasien konsisten.",
            "Menetapkan standar dan kebijakan pengelolaan antrean pelayanan kesehatan di daerah.",
        ],
        "unit_types": list(_HEALTH_UNITS),
    },
    # ---- teknis: komunikasi dan informatika
    {
        "code": "T-KOM-1",
        "name": "Tata Kelola TIK dan SPBE",
        "group": "teknis",
        "description": (
            "Merencanakan, menerapkan dan mengevaluasi tata kelola teknologi informasi serta Sistem "
            "Pemerintahan Berbasis Elektronik di lingkungan pemerintah daerah."
        ),
        "levels": [
            "Memahami prinsip SPBE dan menerapkan standar TIK dalam pekerjaannya sendiri.",
            "Membantu tim menyusun dokumen tata kelola TIK dan bahan evaluasi SPBE.",
            "Mengelola penerapan arsitektur dan standar SPBE di unit serta menindaklanjuti hasil evaluasinya.",
            "Mengoordinasikan keterpaduan aplikasi dan data lintas perangkat daerah sesuai arsitektur SPBE.",
            "Menetapkan peta rencana SPBE daerah dan mengarahkan belanja TIK secara strategis.",
        ],
        "unit_types": ["DISKOMINFO", "PEMKOT"],
    },
    {
        "code": "T-KOM-2",
        "name": "Keamanan Informasi",
        "group": "teknis",
        "description": (
            "Melindungi kerahasiaan, keutuhan dan ketersediaan informasi serta sistem elektronik "
            "dari ancaman dan insiden siber."
        ),
        "levels": [
            "Menerapkan praktik keamanan dasar seperti kata sandi yang kuat dan kewaspadaan terhadap phishing.",
            "Membantu tim memantau log, memperbarui sistem dan melaporkan insiden keamanan.",
            "Mengelola kendali keamanan informasi di unit dan menangani insiden sesuai prosedur.",
            "Mengoordinasikan penilaian risiko dan tim tanggap insiden siber lintas perangkat daerah.",
            "Menetapkan kebijakan dan strategi keamanan informasi daerah sesuai standar nasional.",
        ],
        "unit_types": ["DISKOMINFO"],
    },
    {
        "code": "T-KOM-3",
        "name": "Pengelolaan Layanan Publik Digital",
        "group": "teknis",
        "description": (
            "Merancang, mengoperasikan dan meningkatkan layanan publik berbasis aplikasi dan portal "
            "agar mudah diakses masyarakat."
        ),
        "levels": [
            "Mengoperasikan dan memelihara aplikasi layanan publik sesuai panduan.",
            "Menindaklanjuti masukan pengguna aplikasi bersama tim dan memperbaiki kendala teknis.",
            "Mengelola siklus hidup layanan digital unit mulai dari kebutuhan pengguna hingga evaluasi pemanfaatan.",
            "Memadukan layanan digital lintas perangkat daerah menjadi layanan yang utuh bagi warga.",
            "Merancang ekosistem layanan publik digital daerah yang inklusif dan berpusat pada warga.",
        ],
        "unit_types": ["DISKOMINFO"],
    },
    # ---- teknis: kecamatan dan pemerintahan umum
    {
        "code": "T-KEC-1",
        "name": "Pelayanan Terpadu Kecamatan",
        "group": "teknis",
        "description": (
            "Menyelenggarakan pelayanan administrasi terpadu satu pintu di kecamatan, "
            "mulai dari permohonan hingga penyerahan dokumen."
        ),
        "levels": [
            "Menerima dan memeriksa permohonan layanan kecamatan sesuai standar pelayanan.",
            "Menyelesaikan berkas layanan bersama tim dan memberi tahu warga status permohonannya.",
            "Mengelola alur pelayanan terpadu di kecamatan agar layanan tepat waktu, transparan dan terdokumentasi.",
            "Menghubungkan pelayanan kecamatan dengan perangkat daerah teknis dan kelurahan agar layanan lebih dekat ke warga.",
            "Merumuskan kebijakan pelimpahan kewenangan dan model pelayanan kecamatan di tingkat kota.",
        ],
        "unit_types": ["KEC-BUKITBESTARI"],
    },
    {
        "code": "T-KEC-2",
        "name": "Pemberdayaan Masyarakat",
        "group": "teknis",
        "description": (
            "Mendorong partisipasi dan kemandirian masyarakat dalam perencanaan dan pelaksanaan "
            "pembangunan di wilayahnya."
        ),
        "levels": [
            "Mengenal potensi dan lembaga kemasyarakatan di wilayah kerja serta hadir dalam kegiatan warga.",
            "Memfasilitasi musyawarah dan program pemberdayaan bersama tokoh masyarakat.",
            "Mengelola program pemberdayaan di kecamatan dan memantau manfaatnya bagi kelompok sasaran.",
            "Menyinergikan program pemberdayaan dari berbagai perangkat daerah dan mitra di wilayah kecamatan.",
            "Merancang strategi pemberdayaan masyarakat tingkat kota yang berkelanjutan dan bertumpu pada potensi lokal.",
        ],
        "unit_types": ["KEC-BUKITBESTARI"],
    },
    {
        "code": "T-KEC-3",
        "name": "Administrasi Pemerintahan",
        "group": "teknis",
        "description": (
            "Menyelenggarakan urusan pemerintahan umum, koordinasi, ketatausahaan dan pelaporan "
            "penyelenggaraan pemerintahan daerah."
        ),
        "levels": [
            "Menyiapkan naskah dinas dan arsip sesuai tata naskah dinas yang berlaku.",
            "Menyusun bahan rapat koordinasi dan laporan kegiatan pemerintahan bersama tim.",
            "Mengendalikan ketatausahaan dan pelaporan unit agar tertib, akurat dan tepat waktu.",
            "Mengoordinasikan penyelenggaraan pemerintahan lintas perangkat daerah dan wilayah.",
            "Merumuskan kebijakan penyelenggaraan pemerintahan daerah dan mengevaluasi efektivitasnya.",
        ],
        "unit_types": ["KEC-BUKITBESTARI", "PEMKOT"],
    },
]
