"""Demo competency dictionary: the PermenPANRB 38/2017 managerial and socio-cultural competencies here,
the technical ones per area in technical_competencies.py; a short behaviour description per level,
written for this project."""

from __future__ import annotations

from portal.demo.content.technical_competencies import TECHNICAL_COMPETENCIES

# --------------------------------------------------------------------------- competency dictionary

_MANAGERIAL_AND_SOCIOCULTURAL = [
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
]

# the dictionary in form order: managerial, socio-cultural, then technical
COMPETENCIES = _MANAGERIAL_AND_SOCIOCULTURAL + TECHNICAL_COMPETENCIES
