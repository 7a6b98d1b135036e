"""What OSS-RBA said about an NIB, and when: the few values of inqueryNIB's dataNIB the
application uses (company, NPWP, address, KBLI, person in charge, the permit request's
identifiers). Kept as fetched, never changed, so that the file can show what came from
OSS and what the applicant typed; the rest of dataNIB (shareholders, their identity
numbers, ...) is not kept."""

from odoo import api, fields, models
from odoo.exceptions import UserError

# endpoint.js, @api /inqueryNIB, @apiSuccess responinqueryNIB.dataNIB.*: the fields read.
ADDRESS_KEYS = ("alamat_perseroan", "rt_rw_perseroan", "kelurahan_perseroan", "kode_pos_perseroan")
KBLI_LENGTH = 5  # KBLI 2020 codes; 4.3.22 documents data_proyek.kbli as a number


class KiOssProfile(models.Model):
    _name = "ki.oss.profile"
    _description = "NIB Data from OSS-RBA"
    _order = "fetch_date desc, id desc"
    _rec_name = "nib"

    nib = fields.Char("NIB", required=True, readonly=True, index=True)
    fetch_date = fields.Datetime("Fetched On", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", "Fetched for", readonly=True, help="The company whose application asked."
    )
    user_id = fields.Many2one("res.users", "Fetched by", readonly=True)
    oss_id = fields.Char("OSS Id", readonly=True)
    nib_issue_date = fields.Char("NIB Issued On", readonly=True)
    nib_status = fields.Char("NIB Status Code", readonly=True)
    company_name = fields.Char("Company", readonly=True)
    npwp = fields.Char("NPWP", readonly=True)
    company_address = fields.Text(readonly=True)
    kbli_codes = fields.Char("KBLI", readonly=True)
    kbli_lines = fields.Text("KBLI and Activities", readonly=True)
    pic_name = fields.Char("Person in Charge", readonly=True)
    pic_position = fields.Char("Position of the Person in Charge", readonly=True)
    pic_phone = fields.Char("Phone of the Person in Charge", readonly=True)
    pic_email = fields.Char("Email of the Person in Charge", readonly=True)
    id_izin = fields.Char("OSS Request Number (id_izin)", readonly=True)
    id_proyek = fields.Char("Project Id (id_proyek)", readonly=True)
    id_produk = fields.Char("Product Id (id_produk)", readonly=True)
    permohonan_ids = fields.One2many("ki.permohonan", "oss_profile_id", "Applications")

    def write(self, vals):
        if vals:
            raise UserError(self.env._("Data fetched from OSS is kept as it came."))
        return super().write(vals)

    @api.model
    def _create_from_oss(self, data, kd_izin=None, partner=None):
        """A profile from inqueryNIB's dataNIB. The permit request is the NIB's checklist
        entry of the office's permit code (kd_izin), if OSS lists it."""
        data = data if isinstance(data, dict) else {}
        pics = [pic for pic in data.get("penanggung_jwb") or [] if isinstance(pic, dict)]
        pic = pics[0] if pics else {}
        projects = [p for p in data.get("data_proyek") or [] if isinstance(p, dict)]
        kbli = {}
        for project in projects:
            code = self._kbli_code(project.get("kbli"))
            if code and code not in kbli:
                kbli[code] = _text(project.get("uraian_usaha") or project.get("nama_kegiatan"))
        checklist = [c for c in data.get("data_checklist") or [] if isinstance(c, dict)]
        permit = next((c for c in checklist if kd_izin and _text(c.get("kd_izin")) == kd_izin), {})
        rt_rw = _text(data.get("rt_rw_perseroan"))
        address = [
            _text(data.get("alamat_perseroan")),
            f"RT/RW {rt_rw}" if rt_rw else "",
            _text(data.get("kelurahan_perseroan")),
            _text(data.get("kode_pos_perseroan")),
        ]
        return self.sudo().create(
            {
                "nib": _text(data.get("nib")),
                "fetch_date": fields.Datetime.now(),
                "partner_id": partner.id if partner else False,
                "user_id": self.env.user.id,
                "oss_id": _text(data.get("oss_id")),
                "nib_issue_date": _text(data.get("tgl_terbit_nib")),
                "nib_status": _text(data.get("status_nib")),
                "company_name": _text(data.get("nama_perseroan")),
                "npwp": _text(data.get("npwp_perseroan")),
                "company_address": ", ".join(part for part in address if part),
                "kbli_codes": ", ".join(kbli),
                "kbli_lines": "\n".join(
                    f"{code} {desc}".strip() if desc else code for code, desc in kbli.items()
                ),
                "pic_name": _text(pic.get("nama_penanggung_jwb")),
                "pic_position": _text(pic.get("jabatan_penanggung_jwb")),
                "pic_phone": _text(
                    pic.get("no_hp_penanggung_jwb") or pic.get("no_telp_penanggung_jwb")
                ),
                "pic_email": _text(pic.get("email_penanggung_jwb")),
                "id_izin": _text(permit.get("id_izin")),
                "id_proyek": _text(permit.get("id_proyek")),
                "id_produk": _text(permit.get("id_produk")),
            }
        )

    @api.model
    def _kbli_code(self, value):
        """A KBLI code as text: a number loses its leading zero in JSON, give it back."""
        code = _text(value)
        if code.isdigit() and len(code) < KBLI_LENGTH:
            code = code.zfill(KBLI_LENGTH)
        return code


def _text(value):
    """A documented string field as clean text (OSS sends numbers for some)."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return " ".join(str(value).split())
