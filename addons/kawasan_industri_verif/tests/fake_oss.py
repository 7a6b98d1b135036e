"""A local stand-in for the OSS-RBA API, for the tests and the demo.

It speaks the three methods the addon calls as the public documentation gives them
(PIA OSS-RBA API version 5.0.0, repository oss-rba/oss-rba.github.io, file
src/endpoint.js; the response and status codes are in src/footer.md, Lampiran 9 and 10):

- POST /inqueryNIB            {"INQUERYNIB": {"nib", ["oss_id"]}}  -> "responinqueryNIB"
- POST /receiveLicenseStatus  {"IZINSTATUS": {...}}                 -> "responreceiveLicenseStatus"
- POST /checkLicenseStatus    {"CHECKLICENSESTATUS": {"id_izin"}}   -> "responcheckStatusLicense"

with the `user_key` header (and Basic credentials when the fake is given some), the
documented error bodies, and a "down" mode in which it drops every connection without an
answer. Control routes for the demo: POST /_fake/down, /_fake/up, /_fake/reset and
GET /_fake/calls. Only the standard library: scripts/fake-oss runs it without Odoo, and the
tests import it (`FakeOss`).
"""

import base64
import contextlib
import copy
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Lampiran 9 (src/footer.md): the response codes and their documented wording.
RESPONSE_TEXTS = {
    200: "Sukses",
    400: "Data Parameter Salah",
    401: "User Akses Tidak Valid",
    403: "Ilegal Inquery /Akses",
    404: "Akses Service Tidak Ditemukan",
    405: "Akses Service Ditolak",
    500: "Proses Payload Data Di Sistem OSS Gagal",
    504: "Proses Payload Data Di Sistem OSS Timeout",
}
# Lampiran 10 (src/footer.md): kode status izin, those this fake meets.
LICENSE_STATUSES = {
    "10": "Dokumen Lengkap",
    "20": "Validasi",
    "45": "Persyaratan terverifikasi",
    "50": "Disetujui",
    "90": "Ditolak",
}

# The request's root key and the answer's envelope key per method, as endpoint.js spells them.
# checkLicenseStatus has three spellings in the documentation: "responcheckLicenseStatus"
# (its field list), "responcheckStatusLicense" (success example) and
# "responsecheckStatusLicense" (error example); the fake answers as the examples do.
METHODS = {
    "inqueryNIB": ("INQUERYNIB", "responinqueryNIB", "responinqueryNIB", "dataNIB"),
    "receiveLicenseStatus": (
        "IZINSTATUS",
        "responreceiveLicenseStatus",
        "responreceiveLicenseStatus",
        "dataNIB",
    ),
    "checkLicenseStatus": (
        "CHECKLICENSESTATUS",
        "responcheckStatusLicense",
        "responsecheckStatusLicense",
        "dataIZIN",
    ),
}

# endpoint.js, @api {post} /receiveLicenseStatus, @apiBody of IZINSTATUS:
# field -> (JSON type, documented maximum length, mandatory). tgl_status is documented as
# String(18) with the format "YYYY-MM-DD HH:II:SS", which has 19 characters: the format wins.
RECEIVE_LICENSE_STATUS_FIELDS = {
    "nib": (str, 13, True),
    "id_produk": (str, 25, True),
    "id_proyek": (str, 25, True),
    "oss_id": (str, 25, True),
    "id_izin": (str, 25, True),
    "kd_izin": (str, 12, True),
    "kd_instansi": (str, 3, True),
    "kd_status": (str, 2, True),
    "tgl_status": (str, 19, True),
    "nip_status": (str, 50, True),
    "nama_status": (str, 50, True),
    "keterangan": (str, 65535, True),
    "persetujuan_form": (bool, None, False),
    "file_lampiran": (str, 65535, False),
    "data_pnbp": (dict, None, False),
}
TGL_STATUS_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
NIB_RE = re.compile(r"^\d{13}$")


def data_nib(
    nib,
    nama_perseroan,
    npwp_perseroan,
    alamat_perseroan="",
    kbli=(),
    penanggung_jwb=None,
    checklist=(),
    **extra,
):
    """A dataNIB as endpoint.js documents it (@api /inqueryNIB, Success-Response): every
    documented key, the given values filled in, the rest empty as in the example.

    `kbli`: (code, uraian_usaha) per project; `checklist`: dicts of data_checklist
    (id_izin, kd_izin, id_proyek, id_produk, nama_izin); `penanggung_jwb`: dict of the
    person in charge's fields without their "_penanggung_jwb" suffix."""
    pic = penanggung_jwb or {}
    projects = [
        dict(
            _empty(PROYEK_KEYS),
            id_proyek=f"R-{nib[-6:]}{index:02d}",
            nomor_proyek=f"P-{nib[-6:]}{index:02d}",
            kbli=code,
            uraian_usaha=uraian,
            deskripsi_kegiatan=uraian,
            data_lokasi_proyek=[],
            data_proyek_produk=[],
        )
        for index, (code, uraian) in enumerate(kbli, start=1)
    ]
    checklists = [
        dict(_empty(CHECKLIST_KEYS), data_teknis=_empty(DATA_TEKNIS_KEYS), data_persyaratan=[])
        | item
        for item in checklist
    ]
    data = _empty(DATA_NIB_KEYS)
    data.update(
        nib=nib,
        oss_id=extra.pop("oss_id", f"P-{nib}"),
        tgl_terbit_nib=extra.pop("tgl_terbit_nib", "2024-01-15"),
        status_nib=extra.pop("status_nib", "01"),
        jenis_pelaku_usaha="08",
        skala_usaha="04",
        npwp_perseroan=npwp_perseroan,
        nama_perseroan=nama_perseroan,
        alamat_perseroan=alamat_perseroan,
        pemegang_saham=[],
        penanggung_jwb=[
            dict(
                _empty(PENANGGUNG_JWB_KEYS),
                **{f"{key}_penanggung_jwb": value for key, value in pic.items()},
            )
        ]
        if pic
        else [],
        legalitas=[],
        data_rptka=copy.deepcopy(DATA_RPTKA_EMPTY),
        data_proyek=projects,
        data_dni=[],
        data_checklist=checklists,
    )
    data.update(extra)
    return data


def _empty(keys):
    return dict.fromkeys(keys, "")


# The keys of the documented dataNIB (endpoint.js, @api /inqueryNIB, Success-Response).
DATA_NIB_KEYS = [
    "nib",
    "tgl_pengajuan_nib",
    "tgl_terbit_nib",
    "tgl_perubahan_nib",
    "oss_id",
    "jenis_pelaku_usaha",
    "no_npp",
    "no_va",
    "no_wlkp",
    "flag_perusahaan",
    "flag_ekspor",
    "flag_impor",
    "jenis_api",
    "gabung_negara",
    "negara_pma_dominan",
    "total_pma",
    "nilai_pma_dominan",
    "nilai_pmdn",
    "persen_pma",
    "persen_pmdn",
    "kd_kawasan",
    "jenis_kawasan",
    "versi_pia",
    "skala_usaha",
    "jangka_waktu",
    "status_badan_hukum",
    "status_penanaman_modal",
    "npwp_perseroan",
    "nama_perseroan",
    "nama_singkatan",
    "jenis_perseroan",
    "status_perseroan",
    "alamat_perseroan",
    "rt_rw_perseroan",
    "kelurahan_perseroan",
    "perseroan_daerah_id",
    "kode_pos_perseroan",
    "nomor_telpon_perseroan",
    "email_perusahaan",
    "dalam_bentuk_uang",
    "dalam_bentuk_lain",
    "total_modal_dasar",
    "total_modal_ditempatkan",
    "flag_umk",
    "jenis_perubahan_terakhir",
    "pemegang_saham",
    "penanggung_jwb",
    "no_pengesahan",
    "tgl_pengesahan",
    "no_akta_lama",
    "tgl_akta_lama",
    "no_pengesahan_lama",
    "tgl_pengesahan_lama",
    "legalitas",
    "data_rptka",
    "data_proyek",
    "data_dni",
    "data_checklist",
    "jenis_id_user_proses",
    "no_id_user_proses",
    "nama_user_proses",
    "email_user_proses",
    "hp_user_proses",
    "alamat_user_proses",
    "jns_kelamin_user_proses",
    "tempat_lahir_user_proses",
    "tgl_lahir_user_proses",
    "daerah_id_user_proses",
    "rt_rw_user_proses",
    "agama_user_proses",
    "status_perkawinan_user_proses",
    "pekerjaan_user_proses",
    "status_nib",
    "tipe_dokumen",
]
PENANGGUNG_JWB_KEYS = [
    f"{key}_penanggung_jwb"
    for key in [
        "jns_identitas",
        "no_identitas",
        "nama",
        "jabatan",
        "kebangsaan",
        "negara_asal",
        "npwp",
        "alamat",
        "jalan",
        "blok",
        "no",
        "rt_rw",
        "kelurahan",
        "daerah_id",
        "kode_pos",
        "no_telp",
        "no_hp",
        "no_fax",
        "email",
        "flag_pajak",
        "ket_pajak",
    ]
] + ["flag_asing"]
PROYEK_KEYS = [
    "id_proyek",
    "nomor_proyek",
    "uraian_usaha",
    "jumlah_tki_l",
    "jumlah_tki_p",
    "jumlah_tka_l",
    "jumlah_tka_p",
    "kbli",
    "sektor",
    "memiliki_menguasai",
    "jenis_lokasi",
    "status_tanah",
    "luas_tanah",
    "satuan_luas_tanah",
    "pembelian_pematang_tanah",
    "bangunan_gedung",
    "mesin_peralatan",
    "mesin_peralatan_usd",
    "investasi_lain",
    "sub_jumlah",
    "modal_kerja",
    "jumlah_investasi",
    "tanggal_kurs",
    "nilai_kurs",
    "kd_kawasan",
    "jawab_lokasi_b",
    "jawab_lokasi_c",
    "jawab_lokasi_d",
    "jawab_lokasi_e",
    "jawab_lokasi_f",
    "jawab_lokasi_g",
    "flag_perluasan",
    "flag_cabang",
    "npwp_cabang",
    "nama_cabang",
    "jenis_identitas_pj",
    "no_identitas_pj",
    "nama_pj",
    "status_proyek",
    "jenis_proyek",
    "nama_kegiatan",
    "flag_merger",
    "npwp_perseroan_merger",
    "nama_perseroan_merger",
    "skala_usaha",
    "skala_resiko",
    "deskripsi_kegiatan",
    "data_lokasi_proyek",
    "data_proyek_produk",
]
CHECKLIST_KEYS = [
    "id_produk",
    "id_proyek",
    "id_izin",
    "jenis_izin",
    "kd_izin",
    "kd_daerah",
    "nama_izin",
    "no_izin",
    "tgl_izin",
    "instansi",
    "id_bidang_spesifik",
    "bidang_spesifik",
    "id_kewenangan",
    "parameter_kewenangan",
    "kewenangan",
    "file_izin",
    "file_izin_oss",
    "flag_checklist",
    "status_checklist",
    "flag_transaksional",
    "flag_perpanjangan",
    "kd_dokumen",
    "nm_dokumen",
    "data_teknis",
    "data_persyaratan",
]
DATA_TEKNIS_KEYS = [
    "id_komitmen",
    "nama_bangunan",
    "luas_bangunan",
    "jumlah_lantai",
    "tinggi_bangunan",
    "luas_basement",
    "jumlah_lantai_basement",
    "perancang_dokumen_teknis",
]
DATA_RPTKA_EMPTY = dict(
    _empty(
        [
            "jenis_rptka",
            "no_rptka",
            "rptka_awal",
            "rptka_akhir",
            "rptka_gaji",
            "jumlah_tka_rptka",
            "jangka_penggunaan_waktu",
            "jangka_waktu_permohonan_rptka",
        ]
    ),
    rptka_jabatan=[],
    rptka_negara=[],
    rptka_lokasi=[],
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a dropped connection ("down") is the point, not an error


class FakeOss:
    """The fake server. `start()` listens on 127.0.0.1 (a free port unless given) in a
    background thread and returns the base URL; `stop()` closes it.

    State the tests set: `nibs` (NIB -> dataNIB), `licenses` (id_izin -> dict of nib,
    id_proyek, kd_status), `down`, `delay` (seconds before each answer), and
    `fail_next(code, times, method)`. `calls` records every request received: method,
    body, and whether the credentials were right (never the credentials themselves)."""

    def __init__(self, user_key="fake-user-key", basic=None, port=0):
        self.user_key = user_key
        self.basic = basic  # (user, password) the fake requires, or None
        self.port = port
        self.nibs = {}
        self.licenses = {}
        self.calls = []
        self.down = False
        self.delay = 0.0
        self._failures = []  # [code, times left, method or None]
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # ------------------------------------------------------------------ life cycle

    def start(self):
        handler = type("FakeOssHandler", (_Handler,), {"fake": self})
        self._server = _Server(("127.0.0.1", self.port), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self.url

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # ------------------------------------------------------------------ scenario

    def add_nib(self, data):
        self.nibs[data["nib"]] = data
        return data

    def add_license(self, id_izin, nib, id_proyek="", kd_status="20"):
        self.licenses[id_izin] = {"nib": nib, "id_proyek": id_proyek, "kd_status": kd_status}

    def fail_next(self, code, times=1, method=None):
        """Answer the next `times` calls (of `method`, or any) with the documented error
        body of `code` (401, 500, 504, ...)."""
        with self._lock:
            self._failures.append([code, times, method])

    def reset(self):
        with self._lock:
            self.calls.clear()
            self._failures.clear()
            self.down = False
            self.delay = 0.0

    def calls_of(self, method):
        return [call for call in self.calls if call["method"] == method]

    def _take_failure(self, method):
        with self._lock:
            for failure in self._failures:
                code, times, only = failure
                if times and only in (None, method):
                    failure[1] -= 1
                    return code
        return None

    # ------------------------------------------------------------------ the methods

    def answer(self, method, body):
        """(HTTP status, JSON answer) for a call with valid credentials."""
        forced = self._take_failure(method)
        if forced:
            return self.error(method, forced)
        root = METHODS[method][0]
        params = body.get(root) if isinstance(body, dict) else None
        if not isinstance(params, dict):
            return self.error(method, 400)
        return getattr(self, f"_{method}")(params)

    def error(self, method, code, text=None):
        """The documented error body: the method's envelope with kode, keterangan and its
        empty data object (endpoint.js, @apiErrorExample of each method)."""
        _root, _ok_key, error_key, data_key = METHODS.get(method, (None, None, None, None))
        envelope = {"kode": code, "keterangan": text or RESPONSE_TEXTS.get(code, "")}
        if data_key == "dataIZIN":
            envelope[data_key] = {"id_izin": ""}
        elif method == "inqueryNIB":
            envelope[data_key] = []
        elif data_key:
            envelope[data_key] = {}
        return code, {error_key or f"respon{method}": envelope}

    def _inqueryNIB(self, params):
        nib = params.get("nib")
        if not isinstance(nib, str) or not NIB_RE.match(nib):
            return self.error("inqueryNIB", 400)
        data = self.nibs.get(nib)
        oss_id = params.get("oss_id")
        if not data or (oss_id and oss_id != data.get("oss_id")):
            return self.error("inqueryNIB", 400, "Data NIB tidak ditemukan")
        return 200, {"responinqueryNIB": {"kode": 200, "keterangan": "", "dataNIB": data}}

    def _receiveLicenseStatus(self, params):
        if problems := license_status_problems(params):
            return self.error("receiveLicenseStatus", 400, "; ".join(problems))
        license_ = self.licenses.get(params["id_izin"])
        if not license_ or license_["nib"] != params["nib"]:
            return self.error("receiveLicenseStatus", 400, "Data izin tidak ditemukan")
        license_["kd_status"] = params["kd_status"]
        license_["keterangan"] = params["keterangan"]
        return 200, {
            "responreceiveLicenseStatus": {"kode": 200, "keterangan": "Sukses", "dataNIB": {}}
        }

    def _checkLicenseStatus(self, params):
        id_izin = params.get("id_izin")
        license_ = self.licenses.get(id_izin) if isinstance(id_izin, str) else None
        if not license_:
            return self.error("checkLicenseStatus", 400, "Data izin tidak ditemukan")
        return 200, {
            "responcheckStatusLicense": {
                "kode": 200,
                "keterangan": "Sukses",
                "dataIZIN": {
                    "nib": license_["nib"],
                    "id_proyek": license_["id_proyek"],
                    "id_izin": id_izin,
                    "kd_status": license_["kd_status"],
                    "uraian_status": LICENSE_STATUSES.get(license_["kd_status"], ""),
                },
            }
        }


def license_status_problems(params):
    """What makes an IZINSTATUS differ from the documented shape (endpoint.js,
    @api /receiveLicenseStatus): unknown or missing fields, wrong types, too long."""
    problems = [
        f"unknown field {name}" for name in params if name not in RECEIVE_LICENSE_STATUS_FIELDS
    ]
    for name, (kind, length, mandatory) in RECEIVE_LICENSE_STATUS_FIELDS.items():
        if name not in params:
            if mandatory:
                problems.append(f"missing {name}")
            continue
        value = params[name]
        if not isinstance(value, kind):
            problems.append(f"{name} is not {kind.__name__}")
        elif length and len(value) > length:
            problems.append(f"{name} longer than {length}")
    if isinstance(params.get("tgl_status"), str) and not TGL_STATUS_RE.match(params["tgl_status"]):
        problems.append("tgl_status is not YYYY-MM-DD HH:II:SS")
    return problems


class _Handler(BaseHTTPRequestHandler):
    fake = None  # set on the subclass made by FakeOss.start()
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass  # quiet: the tests and the demo read `calls`

    def do_GET(self):
        method = self.path.rstrip("/").rsplit("/", 1)[-1]
        if self.path.startswith("/_fake/calls"):
            return self._send(200, {"calls": self.fake.calls, "down": self.fake.down})
        if self._drop_when_down():
            return None
        if method in METHODS:
            return self._send(*self.fake.error(method, 405))
        return self._send(*self.fake.error(method, 404, "Service Tidak Ditemukan"))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.startswith("/_fake/"):
            return self._control(self.path.removeprefix("/_fake/").strip("/"))
        if self._drop_when_down():
            return None
        method = self.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        authorized = self._authorized()
        self.fake.calls.append(
            {"method": method, "body": body, "authorized": authorized, "at": time.time()}
        )
        if self.fake.delay:
            time.sleep(self.fake.delay)
        if method not in METHODS:
            return self._send(*self.fake.error(method, 404, "Service Tidak Ditemukan"))
        if not authorized:
            return self._send(*self.fake.error(method, 401))
        return self._send(*self.fake.answer(method, body))

    def _authorized(self):
        if self.headers.get("user_key") != self.fake.user_key:
            return False
        if self.fake.basic:
            expected = base64.b64encode(":".join(self.fake.basic).encode()).decode()
            return self.headers.get("Authorization") == f"Basic {expected}"
        return True

    def _drop_when_down(self):
        """Down: close the connection without a word, as an unreachable gateway does."""
        if not self.fake.down:
            return False
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        return True

    def _control(self, action):
        if action == "down":
            self.fake.down = True
        elif action == "up":
            self.fake.down = False
        elif action == "reset":
            self.fake.reset()
        else:
            return self._send(404, {"error": "unknown control"})
        return self._send(200, {"down": self.fake.down})

    def _send(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return None


# ---------------------------------------------------------------------- demo data

# The demo companies and their files (demo/ki_demo_permohonan.xml): NIB and OSS request id
# (id_izin), so that scripts/serve --fake-oss shows the prefill and the status report.
DEMO_COMPANIES = {
    "nusantara": {
        "nama_perseroan": "PT Kawasan Industri Nusantara",
        "npwp_perseroan": "012345670500000",
        "alamat_perseroan": "Jl. Raya Industri No. 1",
        "rt_rw_perseroan": "002/005",
        "kelurahan_perseroan": "Mororejo",
        "kode_pos_perseroan": "51371",
        "kbli": (("68111", "Real estat yang dimiliki sendiri atau disewa: kawasan industri"),),
        "penanggung_jwb": {
            "nama": "Dewi Kartika",
            "jabatan": "Direktur Utama",
            "no_hp": "+62 812 3456 7800",
            "email": "dewi@kin.example.co.id",
        },
    },
    "sejahtera": {
        "nama_perseroan": "PT Estate Sejahtera Abadi",
        "npwp_perseroan": "012345671350300",
        "alamat_perseroan": "Jl. Lingkar Timur Km. 5",
        "kelurahan_perseroan": "Kandeman",
        "kode_pos_perseroan": "51261",
        "kbli": (
            ("68111", "Real estat yang dimiliki sendiri atau disewa: kawasan industri"),
            ("41011", "Konstruksi gedung hunian"),
        ),
        "penanggung_jwb": {
            "nama": "Yusuf Hidayat",
            "jabatan": "Manajer Perizinan",
            "no_hp": "+62 812 3456 7815",
            "email": "yusuf@esa.example.co.id",
        },
    },
}
DEMO_KD_IZIN = "IUKI"  # the demo office's kd_izin (set by scripts/serve --fake-oss)
DEMO_FILES = (
    ("9120000000000", "I-2026010000", "nusantara"),
    ("9120000007919", "I-2026023701", "nusantara"),
    ("9120000015838", "I-2026037402", "nusantara"),
    ("9120000023757", "I-2026041103", "nusantara"),
    ("9120000031676", "I-2026054804", "nusantara"),
    ("9120000039595", "I-2026068505", "nusantara"),
    ("9120000047514", "I-2026072206", "nusantara"),
    ("9120000055433", "I-2026085907", "nusantara"),
    ("9120000063352", "I-2026099608", "nusantara"),
    ("9120000071271", "I-2026103309", "nusantara"),
    ("9120000079190", "I-20261170010", "nusantara"),
    ("9120000087109", "I-20261207011", "nusantara"),
    ("9120000095028", "I-20261344012", "nusantara"),
    ("9120000102947", "I-20261481013", "sejahtera"),
    ("9120000110866", "I-20261518014", "sejahtera"),
    ("9120000118785", "I-20261655015", "sejahtera"),
)


def load_demo(fake):
    """The demo companies' NIB data and permit requests."""
    for nib, id_izin, company in DEMO_FILES:
        values = dict(DEMO_COMPANIES[company])
        id_proyek = f"R-{nib[-6:]}01"
        fake.add_nib(
            data_nib(
                nib,
                checklist=[
                    {
                        "id_izin": id_izin,
                        "kd_izin": DEMO_KD_IZIN,
                        "id_proyek": id_proyek,
                        "id_produk": "",
                        "nama_izin": "Izin Usaha Kawasan Industri",
                    }
                ],
                **values,
            )
        )
        fake.add_license(id_izin, nib, id_proyek)
    return fake
