"""The thresholds of the site checks in the letter settings: how far the measured area may
be from the declared one, the upper bounds of the land-use shares with the regulation they
come from, and the estate types whose verification needs a field inspection."""

from odoo import fields, models

LAND_USE_REGULATION = (
    "Standar teknis kawasan industri (Kepmenperindag Nomor 50/M-IND/SK/1997, dilanjutkan "
    "Permenperin Nomor 40/M-IND/PER/6/2016 tentang Pedoman Teknis Pembangunan Kawasan "
    "Industri): kavling industri paling banyak 70%, RTH paling sedikit 10%, jalan dan "
    "saluran 8-12%, fasilitas penunjang 6-12%. Luas minimal kawasan: PP Nomor 20 Tahun 2024 "
    "tentang Perwilayahan Industri, yang mencabut PP Nomor 142 Tahun 2015."
)


class KiLetterConfig(models.Model):
    _inherit = "ki.letter.config"  # pylint: disable=consider-merging-classes-inherited

    area_tolerance_pct = fields.Float(
        "Tolerance of the Measured Area (%)",
        default=2.0,
        digits=(5, 2),
        help="How far the area measured on the boundary may be from the declared area.",
    )
    max_share_road = fields.Float("Maximum Roads and Drainage (%)", default=12.0, digits=(5, 2))
    min_share_other = fields.Float("Minimum Other Facilities (%)", default=6.0, digits=(5, 2))
    max_share_other = fields.Float("Maximum Other Facilities (%)", default=12.0, digits=(5, 2))
    # office content, printed in Indonesian under the checks of the Berita Acara
    land_use_regulation = fields.Text(
        "Regulation of the Thresholds",
        default=LAND_USE_REGULATION,
        help="Printed under the technical checks of the Berita Acara.",
    )
    inspection_required_general = fields.Boolean(
        "Field Inspection Required for an Industrial Estate",
        help="The technical team cannot submit its draft before a field inspection is closed.",
    )
    inspection_required_ikm = fields.Boolean(
        "Field Inspection Required for a Small and Medium Industry Estate",
        help="The technical team cannot submit its draft before a field inspection is closed.",
    )

    def _inspection_required(self, estate_type):
        self.ensure_one()
        return (
            self.inspection_required_ikm
            if estate_type == "ikm"
            else (self.inspection_required_general)
        )
