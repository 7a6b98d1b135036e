"""Demo boundaries and field inspections: each demo estate gets a made-up boundary near
Kendal (Central Java) when its applicant submits it, one as a KML file, one as a zipped
Shapefile in UTM 49S; one has two parcels and one overlaps another. Two files in
verification get an inspection with geotagged photos, one of them closed."""

import base64
import io
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.misc import file_open
from PIL import Image, ImageDraw

from .ki_permohonan_site import BOUNDARY_CODE

BOUNDARY_DIR = "kawasan_industri_verif/demo/boundaries"
BOUNDARY_EXTENSIONS = ("geojson", "kml", "zip")
ADDON = "kawasan_industri_verif"


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    def _demo_do(self, step, decision):
        # the checklist with the estate's boundary in place of a PDF, before the demo's own
        # upload of a PDF for every document type (which then sees the documents there)
        if step == "submit" and not self.document_ids:
            for doc_type in self.env["ki.document.type"].search([]):
                if doc_type.code != BOUNDARY_CODE:
                    pdf = self._demo_pdf(doc_type.name)
                    self.action_upload_document(doc_type.id, f"{doc_type.code}.pdf", pdf)
            self._demo_upload_boundary()
        return super()._demo_do(step, decision)

    def _demo_upload_boundary(self):
        """Upload the demo boundary file named after this record's XML id, if there is one."""
        doc_type = self.env["ki.document.type"].search([("code", "=", BOUNDARY_CODE)], limit=1)
        xmlid = self.get_external_id().get(self.id, "")
        name = xmlid.removeprefix(f"{ADDON}.")
        for extension in BOUNDARY_EXTENSIONS:
            try:
                with file_open(f"{BOUNDARY_DIR}/{name}.{extension}", "rb") as handle:
                    data = handle.read()
            except FileNotFoundError:
                continue
            return self.action_upload_document(doc_type.id, f"batas-kawasan.{extension}", data)
        return False

    @api.model
    def _demo_site(self, draft_ids, inspection_ids, closed_ids):
        """The boundaries of the drafts, then a field inspection on each file of
        `inspection_ids`, closed on those of `closed_ids`."""
        # the minutes are frozen in the office's language: load its terms before the
        # install's own hook does
        self.env["res.company"]._ki_load_office_language()
        for record in self.browse(draft_ids):
            applicant = self.env.ref(f"{ADDON}.user_pemohon")
            if record.partner_id != applicant.partner_id.commercial_partner_id:
                applicant = self.env.ref(f"{ADDON}.user_pemohon2")
            record.with_user(applicant)._demo_upload_boundary()
        verifier = self.env.ref(f"{ADDON}.user_timteknis")
        for record in self.browse(inspection_ids):
            record.with_user(verifier).with_context(lang=verifier.lang)._demo_inspection(
                close=record.id in closed_ids
            )

    def _demo_inspection(self, close):
        boundary = self.sudo().boundary_id
        geometry = boundary._geometry()
        inside = geometry.representative_point()
        outside = (boundary.max_lon + 0.004, boundary.max_lat + 0.002)
        when = fields.Datetime.now() - timedelta(days=1) if close else fields.Datetime.now()
        inspection = self.env["ki.inspection"].create(
            {
                "permohonan_id": self.id,
                "date_planned": when + timedelta(days=0 if close else 2),
                "participant_ids": [(6, 0, self.verifier_ids.ids)],
                "applicant_participants": f"{self.pic_name}, {self.pic_position}",
            }
        )
        photos = [
            ("Patok batas sisi utara", (inside.x, inside.y), "#4a7f3c"),
            ("Jalan akses di luar kawasan", outside, "#8a7752"),
        ]
        for caption, (lon, lat), color in photos:
            self.env["ki.inspection.photo"].create(
                {
                    "inspection_id": inspection.id,
                    "image": base64.b64encode(_demo_photo(lon, lat, when, color)),
                    "image_name": f"{caption.lower().replace(' ', '-')}.jpg",
                    "note": caption,
                }
            )
        if close:
            inspection.item_ids[0].write(
                {"result": "conform", "finding": "Patok batas terpasang sesuai koordinat berkas."}
            )
            inspection.item_ids[3].write(
                {
                    "result": "not_conform",
                    "finding": "Sebagian lahan di sisi timur belum dibebaskan.",
                }
            )
            inspection.write(
                {
                    "present_user_ids": [(6, 0, self.verifier_ids.ids)],
                    "summary": "Lokasi sesuai berkas kecuali sisi timur.",
                }
            )
            inspection.action_close()
        return inspection


def _demo_photo(lon, lat, when, color):
    """A small JPEG with the EXIF GPS position and time a phone would write."""
    image = Image.new("RGB", (480, 320), color)
    ImageDraw.Draw(image).rectangle((40, 200, 440, 280), fill="#d8d2c4")
    exif = Image.Exif()
    exif[0x8825] = {
        1: "N" if lat >= 0 else "S",
        2: _dms(abs(lat)),
        3: "E" if lon >= 0 else "W",
        4: _dms(abs(lon)),
        7: (float(when.hour), float(when.minute), float(when.second)),
        29: when.strftime("%Y:%m:%d"),
    }
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70, exif=exif.tobytes())
    return buffer.getvalue()


def _dms(value):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)
