from .common import KiCase
from .fake_oss import FakeOss, data_nib

USER_KEY = "uji-user-key-7f3a9c"
KD_IZIN = "IUKI"
KD_INSTANSI = "D33"
NIB = "9120000123456"  # the test files' NIB (common.APPLICANT_DATA has another one)
ID_IZIN = "I-202603120900001"


class OssCase(KiCase):
    """KiCase with a fake OSS-RBA on 127.0.0.1 that knows the test company's NIB and
    permit request, and the office's link pointed at it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeOss(user_key=USER_KEY)
        cls.fake.start()
        cls.addClassCleanup(cls.fake.stop)
        cls.fake.add_nib(cls._nib_data())
        cls.fake.add_license(ID_IZIN, NIB, "R-12345601")
        cls.config = cls.env["ki.oss.config"]._get_or_create()
        cls.config.write(
            {
                "url": cls.fake.url,
                "user_key": USER_KEY,
                "kd_izin": KD_IZIN,
                "kd_instansi": KD_INSTANSI,
                "timeout": 5,
            }
        )
        cls.applicant_data = dict(cls.applicant_data, nib=NIB)

    def setUp(self):
        super().setUp()
        self.fake.reset()

    @classmethod
    def _nib_data(cls, **overrides):
        values = {
            "nama_perseroan": "PT Uji Kawasan",
            "npwp_perseroan": "012345678901000",
            "alamat_perseroan": "Jl. Industri Raya No. 7",
            "rt_rw_perseroan": "001/002",
            "kelurahan_perseroan": "Mororejo",
            "kode_pos_perseroan": "51371",
            "kbli": (("68111", "Kawasan industri"), ("41011", "Konstruksi gedung")),
            "penanggung_jwb": {
                "nama": "Dewi Kartika",
                "jabatan": "Direktur Utama",
                "no_hp": "+62 812 0000 1111",
                "email": "dewi@uji.example.co.id",
            },
            "checklist": [
                {"id_izin": "I-000000000000001", "kd_izin": "OTHER", "id_proyek": "R-X"},
                {
                    "id_izin": ID_IZIN,
                    "kd_izin": KD_IZIN,
                    "id_proyek": "R-12345601",
                    "id_produk": "PR-1",
                    "nama_izin": "Izin Usaha Kawasan Industri",
                },
            ],
        }
        values.update(overrides)
        return data_nib(NIB, **values)

    def _run_outbox(self):
        """Run the scheduled action until nothing is due; the calls it sent."""
        Call = self.env["ki.oss.call"]
        sent = Call
        for _ in range(50):
            call = Call._cron_send()
            if not call:
                return sent
            sent |= call
        raise AssertionError("the outbox does not empty")
