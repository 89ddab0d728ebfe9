"""Demo content for Portal Kompetensi ASN (pure data, no I/O).

A fictional but realistic slice of a city government modelled on Pemerintah Kota Tanjungpinang:
units, position classes, a competency dictionary with level descriptions, positions with their
technical standards, employees with a coherent supervisor tree, demo login accounts and a set of
development activities. All descriptions were written for this project (short paraphrases, not
regulation text). People are invented; any resemblance to real officials is coincidental.

The seeder (see portal/cli.py `portal demo`) consumes these constants; this module must stay free
of database or framework imports so it can be imported anywhere (tests, bench scripts).

Conventions:
- Unit codes are UPPER-CASE, position keys are lower-case slugs, so a training's `participants`
  list may mix both without ambiguity.
- Technical competency codes are T-<AREA>-<n>: KPG kepegawaian, DKP dukcapil, KES kesehatan,
  KOM kominfo, KEC kecamatan/pemerintahan.
- NIP: birth date YYYYMMDD + appointment YYYYMM + sex digit (1 male, 2 female) + 3-digit serial.
- Training dates are offsets in days relative to the day the demo is seeded.
"""

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

# Ordered from the highest structural class down, then functional classes by level.
POSITION_CLASSES = [
    ("jpt_madya", "JPT Madya"),
    ("jpt_pratama", "JPT Pratama"),
    ("administrator", "Administrator"),
    ("pengawas", "Pengawas"),
    ("pelaksana", "Pelaksana"),
    ("fungsional_ahli_utama", "Fungsional Ahli Utama"),
    ("fungsional_ahli_madya", "Fungsional Ahli Madya"),
    ("fungsional_ahli_muda", "Fungsional Ahli Muda"),
    ("fungsional_ahli_pertama", "Fungsional Ahli Pertama"),
    ("fungsional_penyelia", "Fungsional Penyelia"),
    ("fungsional_mahir", "Fungsional Mahir"),
    ("fungsional_terampil", "Fungsional Terampil"),
]

# Default required level for every managerial (and the socio-cultural) competency, by class.
MANAGERIAL_DEFAULT_LEVEL = {
    "jpt_madya": 5,
    "jpt_pratama": 4,
    "administrator": 3,
    "pengawas": 2,
    "pelaksana": 1,
    "fungsional_ahli_utama": 4,
    "fungsional_ahli_madya": 3,
    "fungsional_ahli_muda": 2,
    "fungsional_ahli_pertama": 1,
    "fungsional_penyelia": 2,
    "fungsional_mahir": 1,
    "fungsional_terampil": 1,
}

# --------------------------------------------------------------------------- competency dictionary

COMPETENCIES = [
    # ---- manajerial (8)
    {
        "code": "M1",
        "name": "Integritas",
        "group": "manajerial",
        "description": (
            "Bertindak jujur, taat aturan dan sesuai kode etik ASN dalam setiap tugas, "
            "termasuk ketika tidak ada yang mengawasi."
        ),
        "levels": [
            "Bertindak jujur serta mematuhi kode etik dan aturan kerja dalam tugasnya sendiri.",
            "Mengingatkan rekan dalam tim agar bekerja sesuai aturan dan etika, serta berani mengakui kesalahan sendiri.",
            "Menjadikan integritas sebagai kebiasaan di unit kerjanya dan menindaklanjuti pelanggaran etika secara adil.",
            "Membangun sistem pengendalian dan budaya antikorupsi lintas unit serta menjadi teladan dalam situasi sulit.",
            "Menetapkan kebijakan integritas organisasi dan menjaganya secara konsisten meskipun menghadapi tekanan atau risiko pribadi.",
        ],
        "unit_types": [],
    },
    {
        "code": "M2",
        "name": "Kerja Sama",
        "group": "manajerial",
        "description": (
            "Membangun dan menjaga hubungan kerja yang saling mendukung untuk mencapai tujuan bersama, "
            "baik di dalam maupun di luar unit kerja."
        ),
        "levels": [
            "Berpartisipasi aktif dalam tugas tim dan bersedia berbagi informasi yang relevan.",
            "Menghargai masukan anggota tim dan ikut menyelesaikan perbedaan pendapat demi hasil bersama.",
            "Mendorong kolaborasi di dalam unit kerja dan membagi peran secara adil sesuai kekuatan anggota tim.",
            "Membangun jejaring kerja sama lintas unit dan lintas perangkat daerah untuk menyelesaikan persoalan bersama.",
            "Menciptakan kemitraan strategis dengan instansi lain, dunia usaha dan masyarakat untuk kepentingan daerah.",
        ],
        "unit_types": [],
    },
    {
        "code": "M3",
        "name": "Komunikasi",
        "group": "manajerial",
        "description": (
            "Menyampaikan dan menerima informasi, gagasan dan pendapat secara jelas, santun dan tepat sasaran, "
            "baik lisan maupun tertulis."
        ),
        "levels": [
            "Menyampaikan informasi dengan jelas dan sopan serta mendengarkan lawan bicara dengan saksama.",
            "Menyesuaikan cara penyampaian dengan pendengarnya dan memastikan pesan dipahami oleh anggota tim.",
            "Mengelola alur komunikasi di unit kerja sehingga informasi penting tersampaikan tepat waktu dan akurat.",
            "Menyampaikan gagasan yang rumit secara meyakinkan kepada berbagai pihak lintas unit dan menjembatani perbedaan kepentingan.",
            "Merumuskan strategi komunikasi organisasi dan menjadi juru bicara yang dipercaya dalam isu strategis daerah.",
        ],
        "unit_types": [],
    },
    {
        "code": "M4",
        "name": "Orientasi pada Hasil",
        "group": "manajerial",
        "description": (
            "Berupaya mencapai hasil kerja yang bermutu, tepat waktu dan terukur, "
            "serta terus memperbaiki cara kerja."
        ),
        "levels": [
            "Menyelesaikan tugas sesuai target, standar mutu dan tenggat waktu yang ditetapkan.",
            "Menetapkan target kerja yang menantang bersama tim dan memantau kemajuannya secara berkala.",
            "Menyusun ukuran kinerja unit dan memastikan setiap anggota bekerja untuk mencapai sasaran unit.",
            "Mengarahkan beberapa unit mencapai sasaran kinerja bersama dan memperbaiki proses bisnis yang menghambat.",
            "Menetapkan sasaran strategis organisasi yang berdampak nyata bagi masyarakat dan mengawal pencapaiannya.",
        ],
        "unit_types": [],
    },
    {
        "code": "M5",
        "name": "Pelayanan Publik",
        "group": "manajerial",
        "description": (
            "Memberikan layanan yang cepat, ramah, adil dan bebas pungutan liar kepada masyarakat "
            "sesuai standar pelayanan."
        ),
        "levels": [
            "Melayani masyarakat dengan ramah, cepat dan sesuai standar pelayanan yang berlaku.",
            "Menanggapi keluhan pengguna layanan bersama tim dan mencari penyelesaian yang tepat.",
            "Memantau kepuasan masyarakat dan memperbaiki standar pelayanan di unit kerjanya.",
            "Memadukan layanan lintas unit agar masyarakat cukup datang ke satu tempat atau memakai satu aplikasi.",
            "Merancang kebijakan pelayanan publik daerah yang inovatif, inklusif dan berangkat dari kebutuhan warga.",
        ],
        "unit_types": [],
    },
    {
        "code": "M6",
        "name": "Pengembangan Diri dan Orang Lain",
        "group": "manajerial",
        "description": (
            "Terus meningkatkan kemampuan diri serta mendukung rekan kerja dan bawahan "
            "untuk berkembang sesuai potensinya."
        ),
        "levels": [
            "Mengenali kelebihan dan kekurangan diri serta aktif mencari kesempatan belajar.",
            "Berbagi pengetahuan dengan rekan kerja dan memberi umpan balik yang membangun.",
            "Membimbing bawahan dan memberi kesempatan pengembangan berdasarkan hasil analisis kebutuhan.",
            "Menyusun program pengembangan kompetensi lintas unit dan menumbuhkan budaya belajar di organisasi.",
            "Menetapkan strategi pengembangan talenta organisasi dan menyiapkan kader pemimpin masa depan.",
        ],
        "unit_types": [],
    },
    {
        "code": "M7",
        "name": "Mengelola Perubahan",
        "group": "manajerial",
        "description": (
            "Menyesuaikan diri dan mendorong perubahan cara kerja agar organisasi tetap relevan "
            "dengan tuntutan lingkungannya."
        ),
        "levels": [
            "Bersikap terbuka terhadap perubahan dan menyesuaikan cara kerjanya sendiri.",
            "Membantu rekan dalam tim memahami dan menjalankan perubahan yang sedang berlangsung.",
            "Memimpin pelaksanaan perubahan di unit kerja dan menanggapi penolakan secara bijak.",
            "Mengoordinasikan perubahan lintas unit dan memastikan hasilnya berkelanjutan.",
            "Merancang agenda perubahan organisasi jangka panjang dan menggalang dukungan para pemangku kepentingan.",
        ],
        "unit_types": [],
    },
    {
        "code": "M8",
        "name": "Pengambilan Keputusan",
        "group": "manajerial",
        "description": (
            "Mengambil keputusan yang tepat waktu dan dapat dipertanggungjawabkan berdasarkan data, "
            "risiko dan dampaknya."
        ),
        "levels": [
            "Mengambil keputusan sederhana dalam lingkup tugasnya sendiri berdasarkan prosedur yang berlaku.",
            "Menimbang beberapa alternatif bersama tim sebelum memutuskan persoalan operasional.",
            "Memutuskan persoalan unit kerja dengan mempertimbangkan data, risiko dan dampaknya bagi pengguna layanan.",
            "Mengambil keputusan yang berdampak lintas unit dalam situasi tidak pasti dan menanggung konsekuensinya.",
            "Menetapkan keputusan strategis organisasi yang berdampak luas dan jangka panjang bagi daerah.",
        ],
        "unit_types": [],
    },
    # ---- sosial kultural (1)
    {
        "code": "SK1",
        "name": "Perekat Bangsa",
        "group": "sosial_kultural",
        "description": (
            "Menghargai keberagaman suku, agama, budaya dan pandangan, "
            "serta menjaga persatuan dalam menjalankan tugas."
        ),
        "levels": [
            "Bersikap hormat dan adil kepada semua orang tanpa membedakan latar belakang suku, agama atau budaya.",
            "Menciptakan suasana kerja yang inklusif dalam tim dan menghindari sikap diskriminatif.",
            "Mengelola keberagaman di unit kerja sebagai kekuatan dan mencegah potensi konflik sejak dini.",
            "Menjadi penghubung antarkelompok masyarakat dan antarunit yang berbeda untuk memperkuat kerukunan.",
            "Merumuskan kebijakan yang menjaga persatuan dan keharmonisan masyarakat daerah yang majemuk.",
        ],
        "unit_types": [],
    },
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

# --------------------------------------------------------------------------- employees

_MAIL = "@tanjungpinangkota.go.id"


def _e(nip, name, position_key, supervisor_nip, email_local, is_hr=False, is_admin=False):
    # Small constructor to keep the table below readable; pure data, no side effects.
    return {
        "nip": nip,
        "name": name,
        "position_key": position_key,
        "supervisor_nip": supervisor_nip,
        "is_hr": is_hr,
        "is_admin": is_admin,
        "email": email_local + _MAIL,
    }


# Supervisor NIPs, named for readability of the tree below.
_SEKDA = "196807121994031003"
_KABAN_BKPSDM = "197208181998031005"
_SEKRETARIS_BKPSDM = "197804212002122003"
_KABID_BANGKOM = "198002152002121002"
_KABID_PENGADAAN = "198209302006042001"
_KASUBBAG_UMUM = "197906112005012004"
_KADIS_DUKCAPIL = "197306031999032004"
_KABID_DAFDUK = "197609092000031007"
_KABID_CAPIL = "198102272005012009"
_KADIS_DINKES = "197104101998121003"
_KABID_P2P = "197708222003122005"
_KAPUS_BATU10 = "197905052006042006"
_KAPUS_SEIJANG = "197803022003121008"
_KADIS_KOMINFO = "197506142001121004"
_KABID_APTIKA = "198304032008012033"
_CAMAT = "198205192004101039"
_KASI_PELAYANAN = "198408122009011041"

EMPLOYEES = [
    # ---- Sekretariat Daerah
    _e(_SEKDA, "Drs. H. Zulkarnain Hasibuan, M.Si.", "sekda", None, "zulkarnain.hasibuan"),
    _e("196603051992032002", "Dr. Hj. Rosmawati Nasution, M.Si.", "analis-kebijakan-utama", _SEKDA,
       "rosmawati.nasution"),
    # ---- BKPSDM
    _e(_KABAN_BKPSDM, "Hendri Kurniawan, S.Sos., M.Si.", "kaban-bkpsdm", _SEKDA, "hendri.kurniawan"),
    _e(_SEKRETARIS_BKPSDM, "Dewi Kartika Sari, S.E., M.M.", "sekretaris-bkpsdm", _KABAN_BKPSDM,
       "dewi.sari"),
    _e(_KABID_BANGKOM, "Raja Ahmad Fauzi, S.STP., M.Si.", "kabid-bangkom", _KABAN_BKPSDM,
       "raja.fauzi"),
    _e(_KABID_PENGADAAN, "Lina Marlina Siregar, S.Kom., M.T.I.", "kabid-pengadaan-info", _KABAN_BKPSDM,
       "lina.siregar"),
    _e(_KASUBBAG_UMUM, "Yusnidar, S.Sos.", "kasubbag-umum-bkpsdm", _SEKRETARIS_BKPSDM, "yusnidar"),
    _e("197001251997031006", "Ir. Bambang Wicaksono, M.M.", "analis-sdm-madya", _KABID_BANGKOM,
       "bambang.wicaksono", is_hr=True),
    _e("198807142011012003", "Nurul Hidayah, S.Psi., M.Psi.", "analis-sdm-muda", _KABID_BANGKOM,
       "nurul.hidayah", is_hr=True),
    _e("198605032010012005", "Tengku Syarifah Aini, S.Sos.", "analis-sdm-muda", _KABID_BANGKOM,
       "syarifah.aini", is_hr=True),
    _e("198903202014031002", "Hardiansyah, S.Sos.", "analis-sdm-muda", _KABID_PENGADAAN,
       "hardiansyah"),
    _e("199208082019031004", "Andi Pratama Putra, S.Kom.", "pengolah-data-kepegawaian", _KABID_PENGADAAN,
       "andi.putra", is_hr=True, is_admin=True),
    _e("198509172009012006", "Suryani", "pengadm-umum-bkpsdm", _KASUBBAG_UMUM, "suryani"),
    _e("198704022010011007", "Wan Muhammad Syukri", "pengadm-umum-bkpsdm", _KASUBBAG_UMUM,
       "wan.syukri"),
    _e("198312252008011008", "Agus Salim", "pengadm-umum-bkpsdm", _KASUBBAG_UMUM, "agus.salim"),
    # ---- Disdukcapil
    _e(_KADIS_DUKCAPIL, "Sri Wahyuni Harahap, S.H., M.H.", "kadis-dukcapil", _SEKDA,
       "sri.harahap"),
    _e(_KABID_DAFDUK, "Rudi Hartono, S.Sos.", "kabid-dafduk", _KADIS_DUKCAPIL, "rudi.hartono"),
    _e(_KABID_CAPIL, "Fitriani Rahmadani, S.H., M.H.", "kabid-capil", _KADIS_DUKCAPIL,
       "fitriani.rahmadani"),
    _e("199501122019031010", "Kevin Tanoto, S.Kom.", "adminduk-pertama", _KABID_DAFDUK, "kevin.tanoto"),
    _e("199406182019032011", "Siti Aisyah, S.T.", "adminduk-pertama", _KABID_DAFDUK, "siti.aisyah"),
    _e("199304052020121012", "Budi Santoso, S.Kom.", "adminduk-pertama", _KABID_DAFDUK, "budi.santoso"),
    _e("198407292009011013", "Joko Susilo, A.Md.", "pengelola-data-dukcapil", _KABID_DAFDUK,
       "joko.susilo"),
    _e("199103162015032014", "Melati Putri Ayu, A.Md.", "pengelola-data-dukcapil", _KABID_CAPIL,
       "melati.ayu"),
    _e("198611112010011015", "Dedi Kurniadi", "pengelola-data-dukcapil", _KABID_CAPIL, "dedi.kurniadi"),
    _e("199010052014032016", "Rina Oktaviani", "petugas-pelayanan-dukcapil", _KABID_DAFDUK,
       "rina.oktaviani"),
    _e("199205172018032046", "Yenny Susanto, A.Md.", "petugas-pelayanan-dukcapil", _KABID_DAFDUK,
       "yenny.susanto"),
    _e("199602202021011017", "Muhammad Rizki, S.E.", "petugas-pelayanan-dukcapil", _KABID_CAPIL,
       "muhammad.rizki"),
    _e("198812082011012018", "Lestari Handayani", "petugas-pelayanan-dukcapil", _KABID_CAPIL,
       "lestari.handayani"),
    # ---- Dinas Kesehatan
    _e(_KADIS_DINKES, "dr. Rustam Effendi Simanjuntak, M.Kes.", "kadis-dinkes", _SEKDA,
       "rustam.simanjuntak"),
    _e(_KABID_P2P, "Yuliana Susanti, S.K.M., M.Kes.", "kabid-p2p", _KADIS_DINKES, "yuliana.susanti"),
    _e("198501312010011019", "Hendra Gunawan, S.K.M., M.Epid.", "epidemiolog-muda", _KABID_P2P,
       "hendra.gunawan"),
    _e("198909142014032020", "Wulan Sari Dewi, S.K.M.", "epidemiolog-muda", _KABID_P2P, "wulan.dewi"),
    _e("199006062015031021", "Taufik Hidayat, S.K.M.", "epidemiolog-muda", _KABID_P2P,
       "taufik.hidayat"),
    # ---- UPTD Puskesmas Batu 10 (the demo supervisor and employee live here)
    _e(_KAPUS_BATU10, "drg. Ratna Juwita Panjaitan, M.K.M.", "kapus-batu10", _KADIS_DINKES,
       "ratna.panjaitan"),
    _e("199308272020121022", "dr. Aditya Nugraha", "dokter-pertama-batu10", _KAPUS_BATU10,
       "aditya.nugraha"),
    _e("199204022017012023", "Dian Permata Sari, A.Md.Kep.", "perawat-terampil-batu10", _KAPUS_BATU10,
       "dian.permata"),
    _e("199107192015031024", "Fransiskus Sihombing, A.Md.Kep.", "perawat-terampil-batu10", _KAPUS_BATU10,
       "fransiskus.sihombing"),
    _e("198702242010012025", "Erniwati, A.Md.Keb.", "bidan-mahir-batu10", _KAPUS_BATU10, "erniwati"),
    _e("199706112020122026", "Putri Wulandari, A.Md.", "petugas-pendaftaran-batu10", _KAPUS_BATU10,
       "putri.wulandari"),
    _e("198901302011011027", "Rahmat Hidayat", "petugas-pendaftaran-batu10", _KAPUS_BATU10,
       "rahmat.hidayat"),
    # ---- UPTD Puskesmas Sei Jang
    _e(_KAPUS_SEIJANG, "Ns. Suryadi Chaniago, S.Kep., M.Kes.", "kapus-seijang", _KADIS_DINKES,
       "suryadi.chaniago"),
    _e("198008172008042028", "dr. Vivian Wijaya, M.K.M.", "dokter-madya-seijang", _KAPUS_SEIJANG,
       "vivian.wijaya"),
    _e("197601281999032029", "Tiurma Hutagalung, A.Md.Kep.", "perawat-penyelia-seijang", _KAPUS_SEIJANG,
       "tiurma.hutagalung"),
    _e("197709152000121030", "Zulkifli, A.Md.Kep.", "perawat-penyelia-seijang", _KAPUS_SEIJANG,
       "zulkifli"),
    _e("199402242019031031", "Ahmad Fadli", "petugas-pendaftaran-seijang", _KAPUS_SEIJANG,
       "ahmad.fadli"),
    _e("199510302020122032", "Indah Permatasari", "petugas-pendaftaran-seijang", _KAPUS_SEIJANG,
       "indah.permatasari"),
    # ---- Diskominfo
    _e(_KADIS_KOMINFO, "Bayu Setiawan, S.T., M.Kom.", "kadis-kominfo", _SEKDA, "bayu.setiawan"),
    _e(_KABID_APTIKA, "Novita Sari Batubara, S.Kom., M.T.", "kabid-aptika", _KADIS_KOMINFO,
       "novita.batubara"),
    _e("199601082020121034", "Fajar Ramadhan, S.Kom.", "prakom-pertama", _KABID_APTIKA,
       "fajar.ramadhan"),
    _e("199704222022062035", "Cindy Halim, S.Kom.", "prakom-pertama", _KABID_APTIKA, "cindy.halim"),
    _e("199509092019031036", "Ikhsan Maulana, S.Kom.", "prakom-pertama", _KABID_APTIKA,
       "ikhsan.maulana"),
    _e("199002122014031037", "Yudi Firmansyah, A.Md.", "prakom-terampil", _KABID_APTIKA,
       "yudi.firmansyah"),
    _e("199811272022062038", "Sarah Anggraini, A.Md.Kom.", "prakom-terampil", _KABID_APTIKA,
       "sarah.anggraini"),
    # ---- Kecamatan Bukit Bestari
    _e(_CAMAT, "Raja Indra Syahputra, S.STP., M.Si.", "camat-bukitbestari", _SEKDA, "indra.syahputra"),
    _e("197907072005012040", "Hasnah, S.Sos.", "sekcam-bukitbestari", _CAMAT, "hasnah"),
    _e(_KASI_PELAYANAN, "Eko Prasetyo, S.IP.", "kasi-pelayanan-kec", _CAMAT, "eko.prasetyo"),
    _e("198802232011012042", "Nurbaiti", "pengadm-pelayanan-kec", _KASI_PELAYANAN, "nurbaiti"),
    _e("198501012009011043", "Syahrial", "pengadm-pelayanan-kec", _KASI_PELAYANAN, "syahrial"),
    _e("199307192019032044", "Yohana Simatupang", "pengadm-pelayanan-kec", _KASI_PELAYANAN,
       "yohana.simatupang"),
    _e("199112122015032045", "Sri Rahayu", "pengadm-pelayanan-kec", _KASI_PELAYANAN, "sri.rahayu"),
]

# Demo login accounts (NIPs from EMPLOYEES).
DEMO_ACCOUNTS = {
    # Putri Wulandari, Petugas Pendaftaran Pasien at UPTD Puskesmas Batu 10
    "employee": "199706112020122026",
    # drg. Ratna Juwita Panjaitan, Kepala UPTD Puskesmas Batu 10 (6 direct reports)
    "supervisor": _KAPUS_BATU10,
    # Nurul Hidayah, Analis SDM Aparatur Ahli Muda at BKPSDM (HR, not admin)
    "hr": "198807142011012003",
    # Andi Pratama Putra, Pengolah Data Kepegawaian at BKPSDM (admin and HR)
    "admin": "199208082019031004",
}

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
