"""The office's letter settings: letterhead (kop surat), paper size, the Indonesian body of
the approval and rejection letters, and the thresholds of the technical checks."""

import base64
import re

from markupsafe import Markup, escape
from odoo import api, fields, models
from odoo.tools.image import image_data_uri, image_process

PAPER_SIZES = [("a4", "A4"), ("f4", "F4 (Folio, 215 × 330 mm)")]
PAPER_FORMATS = {
    "a4": "kawasan_industri_verif.paperformat_ki_a4",
    "f4": "kawasan_industri_verif.paperformat_ki_f4",
}
LOGO_PIXELS = 240
# What an Indonesian official letter and its minutes cite; the office adapts them.
LEGAL_BASIS = (
    "Undang-Undang Nomor 3 Tahun 2014 tentang Perindustrian;\n"
    "Peraturan Pemerintah Nomor 20 Tahun 2024 tentang Perwilayahan Industri;\n"
    "Peraturan Pemerintah Nomor 28 Tahun 2025 tentang Penyelenggaraan Perizinan Berusaha "
    "Berbasis Risiko;\n"
    "Peraturan Menteri Perindustrian Nomor 39/M-IND/PER/7/2016 tentang Tata Cara Pemberian "
    "Izin Usaha Kawasan Industri dan Izin Perluasan Kawasan Industri."
)
CARBON_COPIES = (
    "Gubernur Jawa Tengah (sebagai laporan);\n"
    "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Jawa Tengah;\n"
    "Arsip."
)
BODY_PLACEHOLDER_RE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
# The placeholders the administrator may use in the letter bodies (documented in the form).
BODY_PLACEHOLDERS = (
    "nomor_surat_permohonan",
    "tanggal_surat_permohonan",
    "dasar_hukum",
    "perusahaan",
    "kawasan",
    "jenis_kawasan",
    "luas",
    "lokasi",
    "nomor_registrasi",
    "tanggal_permohonan",
    "nib",
    "alasan",
)

APPROVAL_BODY = Markup(
    "<p>Menindaklanjuti surat Saudara Nomor {{nomor_surat_permohonan}} tanggal "
    "{{tanggal_surat_permohonan}} perihal Permohonan Verifikasi Teknis Izin Usaha Kawasan "
    "Industri (Nomor Registrasi {{nomor_registrasi}}), dan dengan memperhatikan ketentuan:</p>"
    "{{dasar_hukum}}"
    "<p>bersama ini kami sampaikan bahwa berdasarkan hasil "
    "verifikasi teknis sebagaimana tertuang dalam Berita Acara Verifikasi Teknis, "
    "{{kawasan}} seluas {{luas}} hektare yang berlokasi di {{lokasi}} "
    "dinyatakan <b>memenuhi</b> persyaratan teknis kawasan industri, dengan pertimbangan "
    "sebagai berikut:</p>"
    "<p>{{alasan}}</p>"
    "<p>Sehubungan dengan hal tersebut, permohonan Saudara <b>disetujui</b> untuk diproses "
    "lebih lanjut dalam penerbitan Izin Usaha Kawasan Industri melalui sistem Perizinan "
    "Berusaha Terintegrasi Secara Elektronik (OSS) sesuai dengan ketentuan peraturan "
    "perundang-undangan.</p>"
    "<p>Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.</p>"
)
REJECTION_BODY = Markup(
    "<p>Menindaklanjuti surat Saudara Nomor {{nomor_surat_permohonan}} tanggal "
    "{{tanggal_surat_permohonan}} perihal Permohonan Verifikasi Teknis Izin Usaha Kawasan "
    "Industri (Nomor Registrasi {{nomor_registrasi}}), dan dengan memperhatikan ketentuan:</p>"
    "{{dasar_hukum}}"
    "<p>bersama ini kami sampaikan bahwa berdasarkan hasil "
    "verifikasi teknis sebagaimana tertuang dalam Berita Acara Verifikasi Teknis, "
    "{{kawasan}} seluas {{luas}} hektare yang berlokasi di {{lokasi}} "
    "dinyatakan <b>belum memenuhi</b> persyaratan teknis kawasan industri, dengan alasan "
    "sebagai berikut:</p>"
    "<p>{{alasan}}</p>"
    "<p>Sehubungan dengan hal tersebut, permohonan Saudara <b>tidak dapat disetujui</b>. "
    "Saudara dapat mengajukan permohonan kembali setelah memenuhi persyaratan dimaksud.</p>"
    "<p>Demikian disampaikan, atas perhatian Saudara diucapkan terima kasih.</p>"
)


class KiLetterConfig(models.Model):
    _name = "ki.letter.config"
    _description = "Letter Settings"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    logo = fields.Binary(related="company_id.logo", string="Logo")

    # Kop surat (letterhead); the office content stays in Indonesian, so nothing here is
    # translatable.
    government_line = fields.Char(
        "Government", default="PEMERINTAH PROVINSI JAWA TENGAH", required=True
    )
    office_name = fields.Char("Office", default="DINAS PERINDUSTRIAN", required=True)
    address = fields.Char(default="Jalan Pahlawan Nomor 4, Semarang 50241")
    phone = fields.Char(default="(024) 8311234")
    email = fields.Char(default="disperin@example.go.id")
    website = fields.Char(default="https://disperin.example.go.id")
    city = fields.Char(
        "Place of Issue",
        default="Semarang",
        required=True,
        help="Printed before the date of every letter.",
    )
    head_title = fields.Char(
        "Title of the Head of Office",
        default="Kepala Dinas Perindustrian Provinsi Jawa Tengah",
        required=True,
        help="Printed above the signature, after a.n., Plt. or Plh. when someone signs for "
        "the Head of Office.",
    )
    paper_size = fields.Selection(PAPER_SIZES, default="a4", required=True)
    legal_basis = fields.Text(
        default=LEGAL_BASIS,
        help="One regulation per line: the letter and the minutes cite them as their basis.",
    )
    carbon_copies = fields.Text(
        "Copies to (Tembusan)", default=CARBON_COPIES, help="One recipient per line."
    )
    team_decree = fields.Char(
        "Decree of the Technical Team",
        default="Keputusan Kepala Dinas Perindustrian Provinsi Jawa Tengah tentang Tim Teknis "
        "Verifikasi Izin Usaha Kawasan Industri",
        help="The decree that forms the technical team, cited by the verification minutes.",
    )
    paperformat_id = fields.Many2one(
        "report.paperformat", compute="_compute_paperformat_id", string="Paper Format"
    )

    # Decision letters
    approval_subject = fields.Char(
        default="Persetujuan Teknis Izin Usaha Kawasan Industri", required=True
    )
    rejection_subject = fields.Char(
        default="Penolakan Permohonan Izin Usaha Kawasan Industri", required=True
    )
    approval_body = fields.Html(default=APPROVAL_BODY, required=True, sanitize_style=True)
    rejection_body = fields.Html(default=REJECTION_BODY, required=True, sanitize_style=True)

    # Automatic technical checks of the master plan (Berita Acara)
    min_area_general = fields.Float(
        "Minimum Area of an Industrial Estate (ha)", default=50.0, digits=(12, 2)
    )
    min_area_ikm = fields.Float(
        "Minimum Area of a Small and Medium Industry Estate (ha)", default=5.0, digits=(12, 2)
    )
    max_share_industrial = fields.Float("Maximum Industrial Plots (%)", default=70.0, digits=(5, 2))
    min_share_green = fields.Float("Minimum Green Open Space (%)", default=10.0, digits=(5, 2))
    min_share_road = fields.Float("Minimum Roads and Drainage (%)", default=8.0, digits=(5, 2))

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has one set of letter settings.")
    ]

    @api.depends("paper_size")
    def _compute_paperformat_id(self):
        for rec in self:
            rec.paperformat_id = self.env.ref(PAPER_FORMATS[rec.paper_size])

    @api.model
    def _get(self, company=None):
        """The letter settings of `company` (the current one by default), created with the
        defaults on first use. Read as the system: reports of every role need them."""
        company = company or self.env.company
        config = self.sudo().search([("company_id", "=", company.id)], limit=1)
        return config or self.sudo().create({"company_id": company.id})

    @api.model
    def action_open(self):
        """Open the current company's settings (the configuration menu)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Letter Settings"),
            "res_model": self._name,
            "res_id": self._get().id,
            "view_mode": "form",
            "target": "current",
        }

    def _logo_data_uri(self):
        """The company logo, scaled down for the letterhead so the PDF stays small."""
        self.ensure_one()
        logo = image_process(base64.b64decode(self.logo), size=(LOGO_PIXELS, LOGO_PIXELS))
        return image_data_uri(base64.b64encode(logo))

    def _legal_basis_html(self):
        """The legal basis as the numbered list a letter body prints ({{dasar_hukum}})."""
        items = Markup("").join(Markup("<li>%s</li>") % line for line in self._lines("legal_basis"))
        return Markup("<ol>%s</ol>") % items if items else Markup("")

    def _lines(self, fname):
        """A multi-line setting as a list of its non-empty lines."""
        return [line.strip() for line in (self[fname] or "").splitlines() if line.strip()]

    def _render_body(self, decision, values):
        """The body of the approval or rejection letter with its placeholders filled in
        (`values`: placeholder -> text, escaped here; unknown placeholders stay visible)."""
        self.ensure_one()
        body = self.approval_body if decision == "approve" else self.rejection_body

        def replace(match):
            value = values.get(match.group(1))
            if value is None:
                return match.group(0)
            if isinstance(value, Markup):
                return str(value)
            return str(escape(value)).replace("\n", "<br/>")

        return Markup(BODY_PLACEHOLDER_RE.sub(replace, str(body or "")))
