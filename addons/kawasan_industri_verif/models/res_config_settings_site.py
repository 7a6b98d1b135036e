"""Where the maps take their background tiles from; without a tile server they draw the
shapes on a plain background, so the office needs no internet for them."""

from odoo import api, fields, models

TILE_URL_PARAM = "kawasan_industri_verif.map_tile_url"
TILE_ATTRIBUTION_PARAM = "kawasan_industri_verif.map_tile_attribution"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    ki_map_tile_url = fields.Char(
        "Map Tile Server",
        config_parameter=TILE_URL_PARAM,
        help="URL template of the background tiles, e.g. "
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty: shapes on a plain background.",
    )
    ki_map_tile_attribution = fields.Char(
        "Map Tile Attribution",
        config_parameter=TILE_ATTRIBUTION_PARAM,
        help="The credit the tile server asks for, shown in the corner of the map.",
    )

    @api.model
    def _ki_map_tiles(self):
        """The tile layer of the maps: {'url', 'attribution'}, the url empty when none."""
        params = self.env["ir.config_parameter"].sudo()
        return {
            "url": params.get_param(TILE_URL_PARAM) or "",
            "attribution": params.get_param(TILE_ATTRIBUTION_PARAM) or "",
        }
