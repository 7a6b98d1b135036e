"""The estate on the ground: the boundary uploaded as a checklist document, parsed and
validated on upload, its measured area, parcels and overlaps with other estates, the site
checks of the Berita Acara, the maps, and the field inspection required before the draft."""

import base64
import json

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import site_geometry

BOUNDARY_CODE = "BATAS_KAWASAN"
BOUNDARY_TYPE = "kawasan_industri_verif.document_type_boundary"
# what the file picker offers for the boundary, besides the content types it accepts
BOUNDARY_EXTENSIONS = (".geojson", ".json", ".kml", ".kmz", ".zip")
SITE_FIELDS = {"boundary_id"}
NEARBY_MARGIN_DEG = 0.05  # about 5.5 km around the boundary on the backend map
OFFICE_GROUP = "kawasan_industri_verif.group_ki_user"


class KiDocumentType(models.Model):
    _inherit = "ki.document.type"

    def _allowed_mimetypes(self):
        allowed = super()._allowed_mimetypes()
        if self.code == BOUNDARY_CODE:
            allowed |= set(BOUNDARY_EXTENSIONS)
        return allowed


class KiPermohonan(models.Model):
    _inherit = "ki.permohonan"  # pylint: disable=consider-merging-classes-inherited

    boundary_ids = fields.One2many(
        "ki.estate.boundary", "permohonan_id", "Boundary Versions", readonly=True
    )
    boundary_id = fields.Many2one(
        "ki.estate.boundary",
        "Current Boundary",
        compute="_compute_boundary_id",
        store=True,
        index="btree_not_null",
    )
    site_area_ha = fields.Float(
        related="boundary_id.area_ha", string="Measured Area (ha)", digits=(12, 2)
    )
    site_parcel_count = fields.Integer(related="boundary_id.parcel_count", string="Parcels")
    site_source_crs = fields.Char(
        related="boundary_id.source_crs", string="Coordinate System of the File"
    )
    site_utm_zone = fields.Char(related="boundary_id.utm_zone", string="Measured in")
    site_overlap_summary = fields.Text(
        "Overlaps with Other Estates",
        compute="_compute_site_overlaps",
        groups=OFFICE_GROUP,
    )
    site_overlap_ha = fields.Float(
        "Overlapping Area (ha)", compute="_compute_site_overlaps", digits=(12, 2)
    )
    site_map_data = fields.Text(compute="_compute_site_map_data", groups=OFFICE_GROUP)
    inspection_ids = fields.One2many("ki.inspection", "permohonan_id", "Field Inspections")
    can_schedule_inspection = fields.Boolean(compute="_compute_can_schedule_inspection")

    @api.depends("boundary_ids.is_latest")
    def _compute_boundary_id(self):
        for rec in self:
            rec.boundary_id = rec.boundary_ids.filtered("is_latest")[:1]

    @api.depends("boundary_id")
    @api.depends_context("uid")
    def _compute_site_overlaps(self):
        office = self.env.user.has_group(OFFICE_GROUP)
        for rec in self:
            overlaps = rec._site_overlaps()
            rec.site_overlap_ha = sum(area for _name, area in overlaps)
            # the other estates' names only for the office
            rec.site_overlap_summary = office and "\n".join(
                f"{name}: {rec._format_number(round(area, 2))} ha" for name, area in overlaps
            )

    @api.depends("boundary_id", "inspection_ids.photo_ids")
    def _compute_site_map_data(self):
        tiles = self.env["res.config.settings"]._ki_map_tiles()
        for rec in self:
            rec.site_map_data = json.dumps(dict(rec._site_map_layers(), tiles=tiles))

    @api.depends("state", "verifier_ids")
    @api.depends_context("uid")
    def _compute_can_schedule_inspection(self):
        for rec in self:
            rec.can_schedule_inspection = rec.state == "verification" and rec._is_actor(
                "tim_teknis"
            )

    # ------------------------------------------------------------------ actions

    def action_upload_document(self, document_type_id, filename, data):
        """A boundary is read and validated before it is kept: any problem refuses the
        file with every problem listed, and nothing is stored."""
        document_type = self.env["ki.document.type"].browse(document_type_id).exists()
        if document_type.code != BOUNDARY_CODE:
            return super().action_upload_document(document_type_id, filename, data)
        raw = base64.b64decode(data) if isinstance(data, str) else data
        with self.env.cr.savepoint():
            document = super().action_upload_document(document_type_id, filename, raw)
            boundary = self._parse_boundary(raw)
            self.env["ki.estate.boundary"].sudo().create(
                dict(
                    self.env["ki.estate.boundary"]._prepare_vals(boundary),
                    permohonan_id=self.id,
                    document_id=document.id,
                )
            )
        return document

    def action_submit_draft(
        self, decision=None, decision_reason=None, evaluation_summary=None, note=None
    ):
        """An office may require a closed field inspection before the team's draft."""
        if self.state == "verification":
            self._check_inspection_done()
        return super().action_submit_draft(
            decision=decision,
            decision_reason=decision_reason,
            evaluation_summary=evaluation_summary,
            note=note,
        )

    def action_schedule_inspection(self):
        """Open a new field inspection of this file, its verifiers as participants."""
        self.ensure_one()
        if not self.can_schedule_inspection:
            raise AccessError(
                self.env._(
                    "Only a verifier assigned to the file schedules a field inspection, during "
                    "the technical verification."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "ki.inspection",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_permohonan_id": self.id,
                "default_participant_ids": [(6, 0, self.verifier_ids.ids)],
            },
        }

    @api.model
    def get_site_overview_data(self):
        """Every estate with a boundary, for the office's overview map: name, company,
        state and shape. Office staff only: applicants never see other estates."""
        if not self.env.user.has_group(OFFICE_GROUP):
            raise AccessError(self.env._("Only the office sees the map of all estates."))
        boundaries = self.env["ki.estate.boundary"].sudo().search([("is_latest", "=", True)])
        states = dict(self._fields["state"]._description_selection(self.env))
        return {
            "tiles": self.env["res.config.settings"]._ki_map_tiles(),
            "states": states,
            "estates": [
                {
                    "id": boundary.permohonan_id.id,
                    "name": boundary.permohonan_id.display_name,
                    "company": boundary.permohonan_id.partner_id.name,
                    "state": boundary.permohonan_id.state,
                    "area_ha": round(boundary.area_ha, 2),
                    "geometry": json.loads(boundary.geojson),
                }
                for boundary in boundaries
            ],
        }

    # ------------------------------------------------------------------ helpers

    def _evidence_files(self):
        """The closed field inspections' minutes are evidence too."""
        files = super()._evidence_files()
        files += [
            (
                self.env._("field inspection minutes %(number)s", number=inspection.name),
                inspection.attachment_id,
                inspection.sha256,
            )
            for inspection in self.sudo().inspection_ids
            if inspection.attachment_id
        ]
        return files

    def _check_field_write(self, fnames):
        if fnames & SITE_FIELDS:
            raise AccessError(
                self.env._("The estate boundary changes only by uploading a new version.")
            )
        return super()._check_field_write(fnames)

    def _parse_boundary(self, data):
        """The validated boundary in `data`, or a UserError listing every problem."""
        try:
            return site_geometry.parse_boundary(data)
        except site_geometry.BoundaryError as error:
            problems = [self._boundary_message(code, params) for code, params in error.problems]
        raise UserError(
            self.env._("The boundary file is refused:")
            + "\n"
            + "\n".join(f"- {problem}" for problem in problems)
        )

    def _boundary_message(self, code, params):
        """One problem of a boundary file in the user's language."""
        _ = self.env._
        params = {
            key: round(value, 6) if isinstance(value, float) else value
            for key, value in params.items()
        }
        messages = {
            "empty": lambda: _("The file is empty."),
            "corrupt": lambda: _(
                "The file cannot be read as %(format)s: it is damaged or not in that format.",
                **params,
            ),
            "zip_too_large": lambda: _("The ZIP file unpacks to too many or too large files."),
            "shapefile_count": lambda: _(
                "The ZIP file must hold exactly one Shapefile (.shp); it holds %(count)s.",
                **params,
            ),
            "shapefile_part_missing": lambda: _(
                "The Shapefile's %(part)s file is missing from the ZIP file.", **params
            ),
            "unknown_crs": lambda: _("The coordinate system %(crs)s is not known.", **params),
            "unsupported_crs": lambda: _(
                "The coordinates are in %(crs)s: use WGS84 longitude/latitude or a UTM zone.",
                **params,
            ),
            "no_polygon": lambda: _("The file holds no polygon."),
            "not_polygon": lambda: _(
                "The file holds a %(type)s: the boundary must be drawn as polygons.", **params
            ),
            "empty_polygon": lambda: _("Polygon %(polygon)s has no coordinates.", **params),
            "bad_coordinates": lambda: _(
                "Ring %(ring)s of polygon %(polygon)s has coordinates that are not numbers.",
                **params,
            ),
            "too_few_points": lambda: _(
                "Ring %(ring)s of polygon %(polygon)s has fewer than four points.", **params
            ),
            "unclosed_ring": lambda: _(
                "Ring %(ring)s of polygon %(polygon)s is not closed: its last point must be "
                "its first.",
                **params,
            ),
            "self_intersection": lambda: _(
                "Polygon %(polygon)s crosses itself near longitude %(lon)s, latitude %(lat)s.",
                **params,
            ),
            "invalid_polygon": lambda: _(
                "Polygon %(polygon)s is not a valid shape (%(reason)s).", **params
            ),
            "outside_indonesia": lambda: _(
                "Polygon %(polygon)s lies outside Indonesia (a point at longitude %(lon)s, "
                "latitude %(lat)s): check the coordinate system and that longitude comes "
                "before latitude.",
                **params,
            ),
        }
        return messages[code]()

    def _site_overlaps(self):
        """[(other estate's name, shared hectares)] for this file's current boundary."""
        self.ensure_one()
        boundary = self.sudo().boundary_id
        if not boundary:
            return []
        return [(other.permohonan_id.display_name, area) for other, area in boundary._overlaps()]

    def _site_map_layers(self):
        """The backend map: this boundary, the active or approved estates around it (with
        their overlap), and the inspection photos."""
        self.ensure_one()
        boundary = self.sudo().boundary_id
        layers = {"own": None, "neighbors": [], "photos": []}
        if not boundary:
            return layers
        states = dict(self._fields["state"]._description_selection(self.env))
        layers["own"] = {
            "name": self.display_name,
            "area_ha": round(boundary.area_ha, 2),
            "geometry": json.loads(boundary.geojson),
        }
        overlaps = {other.id: area for other, area in boundary._overlaps()}
        nearby = boundary._search_bbox(
            (boundary.min_lon, boundary.min_lat, boundary.max_lon, boundary.max_lat),
            self.id,
            margin=NEARBY_MARGIN_DEG,
        )
        layers["neighbors"] = [
            {
                "name": other.permohonan_id.display_name,
                "company": other.permohonan_id.partner_id.name,
                "state": states.get(other.permohonan_id.state),
                "overlap_ha": round(overlaps.get(other.id, 0.0), 2),
                "geometry": json.loads(other.geojson),
            }
            for other in nearby
        ]
        layers["photos"] = [
            photo._map_point()
            for photo in self.sudo().inspection_ids.photo_ids
            if photo.latitude or photo.longitude
        ]
        return layers

    def _portal_site_values(self):
        """What the applicant's page shows of the site: their own boundary, its measures,
        and only the size of any overlap, never another company's estate."""
        self.ensure_one()
        record = self.sudo()
        boundary = record.boundary_id
        if not boundary:
            return {}
        return {
            "geometry": boundary.geojson,
            "tiles": json.dumps(self.env["res.config.settings"]._ki_map_tiles()),
            "area_ha": boundary.area_ha,
            "parcel_count": boundary.parcel_count,
            "overlap_ha": sum(area for _other, area in boundary._overlaps()),
        }

    def _check_inspection_done(self):
        if not self.env["ki.letter.config"]._get()._inspection_required(self.estate_type):
            return
        if not self.sudo().inspection_ids.filtered(lambda i: i.state == "done"):
            raise UserError(
                self.env._(
                    "A field inspection is required for this type of estate: schedule it, "
                    "hold it and close its minutes before submitting the draft."
                )
            )

    def _technical_checks(self):
        """The master plan's checks, then those of the land on the ground."""
        checks = super()._technical_checks()
        return checks + self._land_use_bound_checks() + self._site_checks()

    def _land_use_bound_checks(self):
        config = self._letter_config()
        number = self._format_number
        return [
            {
                "label": self.env._("Roads and drainage"),
                "requirement": self.env._(
                    "at most %(value)s%%", value=number(config.max_share_road)
                ),
                "value": f"{number(self.share_road)}%",
                "ok": self.share_road <= config.max_share_road,
            },
            {
                "label": self.env._("Other facilities"),
                "requirement": self.env._(
                    "between %(min)s%% and %(max)s%%",
                    min=number(config.min_share_other),
                    max=number(config.max_share_other),
                ),
                "value": f"{number(self.share_other)}%",
                "ok": config.min_share_other <= self.share_other <= config.max_share_other,
            },
        ]

    def _site_checks(self):
        """Measured area against the declared one and the minimum, one parcel, no overlap.
        Without a boundary there is nothing to measure: no checks, unless the office requires
        the boundary (then its absence fails)."""
        self.ensure_one()
        boundary = self.sudo().boundary_id
        number = self._format_number
        if not boundary:
            boundary_type = self.env.ref(BOUNDARY_TYPE, raise_if_not_found=False)
            if not (boundary_type and boundary_type.sudo().required):
                return []
            return [
                {
                    "label": self.env._("Estate boundary"),
                    "requirement": self.env._("uploaded (GeoJSON, KML or Shapefile)"),
                    "value": self.env._("not uploaded"),
                    "ok": False,
                }
            ]
        config = self._letter_config()
        min_area = config.min_area_ikm if self.estate_type == "ikm" else config.min_area_general
        measured = round(boundary.area_ha, 2)
        difference = (measured - self.area_ha) / self.area_ha * 100 if self.area_ha else 100.0
        overlaps = self._site_overlaps()
        return [
            {
                "label": self.env._("Measured area against the declared area"),
                "requirement": self.env._(
                    "%(declared)s ha ± %(tolerance)s%%",
                    declared=number(self.area_ha),
                    tolerance=number(config.area_tolerance_pct),
                ),
                "value": self.env._(
                    "%(measured)s ha (%(difference)s%%)",
                    measured=number(measured),
                    difference=("+" if difference >= 0 else "") + number(round(difference, 2)),
                ),
                "ok": abs(difference) <= config.area_tolerance_pct,
            },
            {
                "label": self.env._("Measured estate area"),
                "requirement": self.env._("at least %(value)s ha", value=number(min_area)),
                "value": f"{number(measured)} ha",
                "ok": measured >= min_area,
            },
            {
                "label": self.env._("One contiguous parcel"),
                "requirement": self.env._("1 parcel"),
                "value": self.env._("%(count)s parcel(s)", count=boundary.parcel_count),
                "ok": boundary.parcel_count == 1,
            },
            {
                "label": self.env._("Overlap with other estates"),
                "requirement": self.env._("none"),
                "value": "; ".join(
                    f"{name}: {number(round(area, 2))} ha" for name, area in overlaps
                )
                or self.env._("none"),
                "ok": not overlaps,
            },
        ]

    def _inspection_notify(self, inspection):
        """Tell the applicant when the officers come: a message on the file, mailed to its
        followers and shown on the portal."""
        self.ensure_one()
        applicants = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", True),
                    (
                        "partner_id.commercial_partner_id",
                        "=",
                        self.partner_id.commercial_partner_id.id,
                    ),
                ]
            )
        )
        body = Markup("<p>%s</p>") % self.env._(
            "Field inspection of %(estate)s scheduled on %(date)s. Officers: %(officers)s. "
            "Please make sure the person in charge (%(pic)s) can show the officers the "
            "boundary markers and the site.",
            estate=self.estate_name or self.display_name,
            date=inspection._local_datetime(),
            officers=", ".join(inspection.participant_ids.mapped("name")),
            pic=self.pic_name or "-",
        )
        self.sudo().message_post(
            body=body,
            subject=self.env._("Field inspection scheduled"),
            subtype_xmlid="mail.mt_comment",
            partner_ids=applicants.partner_id.ids,
            author_id=self.env.user.partner_id.id,
        )
