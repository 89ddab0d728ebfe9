"""Demo employees with a coherent supervisor tree, and the demo login accounts."""

from __future__ import annotations

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
