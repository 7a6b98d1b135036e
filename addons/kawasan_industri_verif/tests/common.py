import base64
import functools
import io

from freezegun import freeze_time
from odoo.tests import TransactionCase, new_test_user
from odoo.tests import common as odoo_common
from reportlab.pdfgen import canvas

from ..tools import pki

# The first browser of a run can take longer than Odoo's 10 s to start on a busy machine,
# and Odoo then skips the tour instead of running it: wait up to 60 s.
odoo_common.CHECK_BROWSER_ITERATIONS = 600

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
APPLICANT_DATA = {
    "application_letter_number": "012/KIU/III/2026",
    "application_letter_date": "2026-03-02",
    "nib": "9120001234567",
    "npwp": "01.234.567.8-901.000",
    "pic_name": "Dewi Kartika",
    "pic_position": "Direktur",
    "estate_name": "Kawasan Industri Uji",
    "province_id": False,  # set in setUpClass
    "regency": "Kabupaten Kendal",
    "district": "Kaliwungu",
    "village": "Mororejo",
    "street": "Jl. Industri 1",
    "area_ha": 120.0,
    "share_industrial": 65.0,
    "share_green": 15.0,
    "share_road": 12.0,
    "share_other": 8.0,
}


def _scan():
    """A one-page PDF standing for the scan of a letter signed on paper."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, "SURAT PERSETUJUAN TEKNIS (tanda tangan basah)")
    page.showPage()
    page.save()
    return buffer.getvalue()


SCAN = _scan()
# The passphrase of the test office certificate the Head of Office signs with.
PASSPHRASE = "Kunci-Kadis-7391-rahasia"
# The path through the SOP to an approval: (action, role attribute, keyword arguments)
HAPPY_PATH = [
    ("action_submit", "applicant", {}),
    ("action_receive", "sekretariat", {}),
    ("action_dispose_to_kabid", "kadis", {}),
    ("action_dispose_to_team", "kabid", {}),
    ("action_submit_draft", "verifier", {}),
    ("action_kabid_approve", "kabid", {}),
    ("action_kadis_sign", "kadis", {}),
    ("action_number_and_publish", "sekretariat", {}),
    ("action_confirm_download", "applicant", {}),
]


@functools.cache
def office_certificate():
    """A test CA and the Head of Office's PKCS#12 it issued (made once per run): (PKCS#12
    protected by PASSPHRASE, the CA certificate in PEM)."""
    ca_key, ca_cert = pki.make_ca("CA Uji Dinas Perindustrian")
    key, cert = pki.make_signer(ca_key, ca_cert, "Test Kadis")
    return pki.to_pkcs12(key, cert, [ca_cert], PASSPHRASE), pki.pem(ca_cert)


class KiCase(TransactionCase):
    """Users of every role, two estate companies, and helpers to move a file as each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "kawasan_industri_verif.group_"
        cls.sekretariat = new_test_user(
            cls.env, "t_sekretariat", groups=group + "sekretariat", name="Test Sekretariat"
        )
        cls.kadis = new_test_user(cls.env, "t_kadis", groups=group + "kadis", name="Test Kadis")
        cls.kadis.write({"ki_nip": "196805121994031005", "ki_position": "Kepala Dinas"})
        cls.kabid = new_test_user(cls.env, "t_kabid", groups=group + "kabid", name="Test Kabid")
        cls.verifier = new_test_user(
            cls.env, "t_verifier", groups=group + "tim_teknis", name="Test Verifier"
        )
        cls.verifier2 = new_test_user(
            cls.env, "t_verifier2", groups=group + "tim_teknis", name="Test Verifier 2"
        )
        cls.auditor = new_test_user(cls.env, "t_auditor", groups=group + "auditor", name="Auditor")
        cls.ki_admin = new_test_user(cls.env, "t_ki_admin", groups=group + "admin", name="KI Admin")
        cls.company = cls.env["res.partner"].create({"name": "PT Uji Kawasan", "is_company": True})
        cls.applicant = new_test_user(cls.env, "t_pemohon", groups="base.group_portal")
        cls.applicant.partner_id.parent_id = cls.company
        cls.other_company = cls.env["res.partner"].create(
            {"name": "PT Lain Sekali", "is_company": True}
        )
        cls.other_applicant = new_test_user(cls.env, "t_pemohon_lain", groups="base.group_portal")
        cls.other_applicant.partner_id.parent_id = cls.other_company
        cls.applicant_data = dict(APPLICANT_DATA, province_id=cls.env.ref("base.state_id_jt").id)
        cls.doc_types = cls.env["ki.document.type"].search([])
        cls.instructions = cls.env["ki.disposisi.instruction"].search([], limit=2)
        cls._sign_with_office_certificate()

    @classmethod
    def _sign_with_office_certificate(cls):
        """The office signs electronically with its own certificate (the test CA trusted)."""
        pkcs12, ca_pem = office_certificate()
        cls.env.company.sudo().write(
            {
                "ki_signing_mode": "certificate",
                "ki_signing_certificate": base64.b64encode(pkcs12),
                "ki_signing_certificate_filename": "kadis.p12",
            }
        )
        cls.env["ki.trust.root"].sudo().search([]).action_archive()
        cls.env["ki.trust.root"].sudo().create(
            {"certificate": base64.b64encode(ca_pem), "certificate_filename": "ca.pem"}
        )

    @classmethod
    def _sign_on_paper(cls):
        cls.env.company.sudo().ki_signing_mode = "wet"

    @classmethod
    def _new_file(cls, **vals):
        """A complete draft, created and filled by the applicant on their side."""
        permohonan = (
            cls.env["ki.permohonan"]
            .with_user(cls.applicant)
            .create(dict(cls.applicant_data, **vals))
        )
        for doc_type in cls.doc_types.filtered("required"):
            permohonan.action_upload_document(doc_type.id, f"{doc_type.code}.pdf", PDF)
        return permohonan.with_env(cls.env)

    @classmethod
    def _kwargs(cls, action):
        """Valid inputs for each transition, so that a refusal is about role or state only."""
        return {
            "action_dispose_to_kabid": {
                "recipient_ids": cls.kabid.ids,
                "instruction_ids": cls.instructions.ids,
                "urgency": "segera",
                "note": "Segera proses",
            },
            "action_dispose_to_team": {
                "recipient_ids": cls.verifier.ids,
                "instruction_ids": cls.instructions.ids,
                "note": "Verifikasi",
            },
            "action_return_to_applicant": {"note": "KKPR kedaluwarsa"},
            "action_submit_draft": {
                "decision": "approve",
                "decision_reason": "Memenuhi ketentuan",
                "evaluation_summary": "Lengkap",
            },
            "action_kabid_return": {"note": "Lengkapi pertimbangan"},
            "action_kadis_return": {"note": "Perbaiki redaksi"},
            "action_cancel": {"reason": "Dibatalkan"},
        }.get(action, {})

    @classmethod
    def _act(cls, permohonan, action, role, **kwargs):
        user = getattr(cls, role)
        kwargs = kwargs or cls._kwargs(action)
        if action == "action_kadis_sign":
            kwargs.setdefault("passphrase", PASSPHRASE)
        if action == "action_number_and_publish" and not permohonan.sudo().letter_id:
            kwargs.setdefault("scan", SCAN)
        as_user = permohonan.with_user(user)
        if action == "action_submit_draft" and as_user._may(action):
            # the verifier checks every document before drafting (a draft needs it)
            as_user.action_mark_documents_valid()
        return getattr(as_user, action)(**kwargs)

    @classmethod
    def _walk(cls, permohonan, path):
        for action, role, kwargs in path:
            cls._act(permohonan, action, role, **kwargs)
        return permohonan

    @classmethod
    def _file_in(cls, state, permohonan=None):
        """A file (a new complete draft unless given) brought to `state` the normal way."""
        permohonan = permohonan or cls._new_file()
        if state == "draft":
            return permohonan
        if state == "returned":
            cls._walk(permohonan, HAPPY_PATH[:4])
            cls._act(permohonan, "action_return_to_applicant", "verifier")
            return permohonan
        if state == "lapsed":  # the correction period ended: the scheduled action closes it
            cls._file_in("returned", permohonan)
            with freeze_time(permohonan.sudo().correction_deadline):
                permohonan.sudo().action_lapse()
            return permohonan
        if state == "cancelled":
            cls._act(permohonan, "action_cancel", "applicant")
            return permohonan
        for step in HAPPY_PATH:
            if permohonan.state == state:
                break
            cls._walk(permohonan, [step])
        assert permohonan.state == state, (permohonan.state, state)
        return permohonan
