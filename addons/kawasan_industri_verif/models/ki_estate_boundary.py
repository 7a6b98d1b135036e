"""The estate boundary read from each uploaded boundary document version: its polygons in
WGS84, the area and parcels measured in its UTM zone, and a bounding box indexed in
PostgreSQL (a GiST index on a box, no PostGIS) so the overlap search stays fast with
thousands of estates."""

from odoo import api, fields, models

from ..tools import site_geometry
from .sop import IN_PROGRESS_STATES

SOURCE_FORMATS = [("geojson", "GeoJSON"), ("kml", "KML"), ("shapefile", "Shapefile")]
# The estates a new boundary must not overlap: those in progress, and those approved.
APPROVED_STATES = ("delivered", "done")
BBOX_SQL = "box(point(b.min_lon, b.min_lat), point(b.max_lon, b.max_lat))"


class KiEstateBoundary(models.Model):
    _name = "ki.estate.boundary"
    _description = "Estate Boundary"
    _order = "id desc"

    permohonan_id = fields.Many2one(
        "ki.permohonan", "Application", required=True, index=True, ondelete="cascade"
    )
    document_id = fields.Many2one(
        "ki.permohonan.document", "Document Version", required=True, ondelete="cascade"
    )
    is_latest = fields.Boolean(related="document_id.is_latest", store=True, index=True)
    geojson = fields.Text("Geometry (GeoJSON, WGS84)", required=True)
    source_format = fields.Selection(SOURCE_FORMATS, "File Format", required=True)
    source_crs = fields.Char("Coordinate System of the File", required=True)
    utm_epsg = fields.Integer("UTM Zone (EPSG)", required=True)
    utm_zone = fields.Char("Measured in", compute="_compute_utm_zone")
    area_ha = fields.Float("Measured Area (ha)", digits=(12, 4), required=True)
    parcel_count = fields.Integer("Separate Parcels", required=True)
    min_lon = fields.Float(digits=(10, 7), required=True)
    min_lat = fields.Float(digits=(10, 7), required=True)
    max_lon = fields.Float(digits=(10, 7), required=True)
    max_lat = fields.Float(digits=(10, 7), required=True)

    @api.depends("utm_epsg")
    def _compute_utm_zone(self):
        for rec in self:
            hemisphere = "S" if rec.utm_epsg // 100 == 327 else "N"
            rec.utm_zone = f"UTM {rec.utm_epsg % 100}{hemisphere} (EPSG:{rec.utm_epsg})"

    def init(self):
        # the spatial prefilter: only the bounding boxes of current boundaries are searched
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS ki_estate_boundary_bbox_gist
            ON ki_estate_boundary
            USING gist ((box(point(min_lon, min_lat), point(max_lon, max_lat))))
            WHERE is_latest
            """
        )

    @api.model
    def _prepare_vals(self, boundary):
        """Values of a record from a validated site_geometry.Boundary."""
        min_lon, min_lat, max_lon, max_lat = boundary.bounds
        return {
            "geojson": boundary.to_geojson(),
            "source_format": boundary.source_format,
            "source_crs": boundary.source_crs,
            "utm_epsg": boundary.utm_epsg,
            "area_ha": boundary.area_ha,
            "parcel_count": boundary.parcel_count,
            "min_lon": min_lon,
            "min_lat": min_lat,
            "max_lon": max_lon,
            "max_lat": max_lat,
        }

    def _geometry(self):
        self.ensure_one()
        return site_geometry.load_geojson(self.geojson)

    @api.model
    def _search_bbox(self, bounds, exclude_permohonan_id=None, margin=0.0):
        """Ids of the current boundaries of active or approved estates whose bounding box
        meets `bounds` (min_lon, min_lat, max_lon, max_lat) widened by `margin` degrees."""
        self.flush_model()
        self.env["ki.permohonan"].flush_model(["state", "decision"])
        min_lon, min_lat, max_lon, max_lat = bounds
        self.env.cr.execute(
            f"""
            SELECT b.id
              FROM ki_estate_boundary b
              JOIN ki_permohonan p ON p.id = b.permohonan_id
             WHERE b.is_latest
               AND {BBOX_SQL} && box(point(%(x0)s, %(y0)s), point(%(x1)s, %(y1)s))
               AND b.permohonan_id != %(exclude)s
               AND (p.state IN %(active)s
                    OR (p.state IN %(approved)s AND p.decision = 'approve'))
             ORDER BY b.permohonan_id
            """,
            {
                "x0": min_lon - margin,
                "y0": min_lat - margin,
                "x1": max_lon + margin,
                "y1": max_lat + margin,
                "exclude": exclude_permohonan_id or 0,
                "active": IN_PROGRESS_STATES,
                "approved": APPROVED_STATES,
            },
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _overlaps(self):
        """The other active or approved estates this boundary overlaps, with the shared
        area in hectares measured in this boundary's UTM zone: [(boundary, ha)]."""
        self.ensure_one()
        candidates = self._search_bbox(
            (self.min_lon, self.min_lat, self.max_lon, self.max_lat), self.permohonan_id.id
        )
        if not candidates:
            return []
        areas = site_geometry.overlap_ha(
            self._geometry(), [other._geometry() for other in candidates], self.utm_epsg
        )
        return [(other, area) for other, area in zip(candidates, areas, strict=True) if area]
