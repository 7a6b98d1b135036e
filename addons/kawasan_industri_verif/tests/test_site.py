import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .site_common import (
    UTM_49S,
    X0,
    Y0,
    KiSiteCase,
    geojson,
    kml,
    shapefile_zip,
    to_lonlat,
    utm_rectangle,
)

RECTANGLE_HA = 60.0


@tagged("post_install", "-at_install")
class TestBoundaryMeasure(KiSiteCase):
    """A 1,000 m x 600 m rectangle measures 60 ha in every format and coordinate system."""

    def _measured(self, data, filename):
        permohonan = self._new_file(area_ha=60)
        document = self._upload_boundary(permohonan, data, filename)
        boundary = permohonan.boundary_id
        self.assertEqual(boundary.document_id, document.sudo())
        self.assertEqual(boundary.parcel_count, 1)
        self.assertEqual(boundary.utm_epsg, UTM_49S, "measured in the zone it lies in")
        self.assertAlmostEqual(boundary.area_ha, RECTANGLE_HA, delta=RECTANGLE_HA * 0.001)
        return boundary

    def test_geojson_in_utm_49s(self):
        boundary = self._measured(geojson(utm_rectangle(), epsg=UTM_49S), "batas.geojson")
        self.assertEqual(boundary.source_crs, "EPSG:32749")
        self.assertEqual(boundary.source_format, "geojson")

    def test_geojson_in_wgs84(self):
        boundary = self._measured(geojson(to_lonlat(utm_rectangle())), "batas.geojson")
        self.assertEqual(boundary.source_crs, "EPSG:4326")
        self.assertLess(boundary.min_lon, boundary.max_lon)
        self.assertTrue(-7.1 < boundary.min_lat < -7.0, "stored in longitude/latitude")

    def test_kml(self):
        boundary = self._measured(kml(to_lonlat(utm_rectangle())), "batas.kml")
        self.assertEqual(boundary.source_format, "kml")

    def test_zipped_shapefile_in_utm(self):
        boundary = self._measured(shapefile_zip(utm_rectangle()), "batas.zip")
        self.assertEqual((boundary.source_format, boundary.source_crs), ("shapefile", "EPSG:32749"))

    def test_new_upload_is_a_new_version(self):
        permohonan = self._new_file(area_ha=60)
        self._upload_boundary(permohonan, geojson(utm_rectangle(), epsg=UTM_49S))
        self._upload_boundary(permohonan, geojson(utm_rectangle(width=2000), epsg=UTM_49S))
        versions = permohonan.document_version_ids.filtered(
            lambda d: d.document_type_id == self.boundary_type
        )
        self.assertEqual(sorted(versions.mapped("version")), [1, 2])
        self.assertEqual(len(permohonan.boundary_ids), 2)
        self.assertAlmostEqual(permohonan.boundary_id.area_ha, 120, delta=0.12)
        self.assertEqual(permohonan.boundary_id.document_id.version, 2)

    def test_applicant_cannot_set_the_boundary_by_hand(self):
        permohonan = self._new_file()
        other = self._new_file()
        self._upload_boundary(other, geojson(utm_rectangle(), epsg=UTM_49S))
        with self.assertRaises(AccessError):
            permohonan.with_user(self.applicant).write({"boundary_id": other.boundary_id.id})


@tagged("post_install", "-at_install")
class TestBoundaryRefused(KiSiteCase):
    """Each problem gets its own message, and a refused file leaves nothing behind."""

    def _assert_refused(self, data, expected, filename="batas.geojson"):
        permohonan = self._new_file()
        documents = self.env["ki.permohonan.document"].search_count([])
        attachments = self.env["ir.attachment"].search_count([("res_model", "=", "ki.permohonan")])
        with self.assertRaises(UserError) as caught:
            self._upload_boundary(permohonan, data, filename)
        message = str(caught.exception.args[0])
        self.assertIn("The boundary file is refused", message)
        self.assertIn(expected, message)
        self.assertEqual(self.env["ki.permohonan.document"].search_count([]), documents)
        self.assertEqual(
            self.env["ir.attachment"].search_count([("res_model", "=", "ki.permohonan")]),
            attachments,
        )
        self.assertFalse(permohonan.boundary_ids)
        return message

    def test_self_intersecting_ring(self):
        bowtie = [[X0, Y0], [X0 + 1000, Y0 + 600], [X0 + 1000, Y0], [X0, Y0 + 600], [X0, Y0]]
        message = self._assert_refused(geojson(to_lonlat(bowtie)), "crosses itself")
        self.assertIn("Polygon 1", message)

    def test_unclosed_ring(self):
        ring = to_lonlat(utm_rectangle())[:-1]
        self._assert_refused(geojson(ring), "Ring 1 of polygon 1 is not closed")

    def test_outside_indonesia(self):
        ring = [[10.0, 50.0], [10.01, 50.0], [10.01, 50.01], [10.0, 50.01], [10.0, 50.0]]
        self._assert_refused(geojson(ring), "lies outside Indonesia")

    def test_swapped_latitude_and_longitude(self):
        ring = [[lat, lon] for lon, lat in to_lonlat(utm_rectangle())]
        self._assert_refused(geojson(ring), "longitude comes before latitude")

    def test_corrupt_files(self):
        self._assert_refused(b'{"type": "FeatureCollection", "features": [', "as GeoJSON")
        self._assert_refused(b"<kml><Placemark>", "as KML", "batas.kml")
        self._assert_refused(shapefile_zip(utm_rectangle())[:200], "as ZIP", "batas.zip")

    def test_every_problem_is_listed(self):
        unclosed = to_lonlat(utm_rectangle())[:-1]
        far = [[10.0, 50.0], [10.01, 50.0], [10.01, 50.01], [10.0, 50.01], [10.0, 50.0]]
        message = self._assert_refused(geojson(unclosed, far), "not closed")
        self.assertIn("Polygon 2 lies outside Indonesia", message)

    def test_a_line_is_not_a_boundary(self):
        line = json.dumps({"type": "LineString", "coordinates": to_lonlat(utm_rectangle())})
        self._assert_refused(line.encode(), "must be drawn as polygons")

    def test_unsupported_coordinate_system(self):
        # Web Mercator: neither WGS84 longitude/latitude nor a UTM zone
        self._assert_refused(geojson(utm_rectangle(), epsg=3857), "use WGS84")

    def test_portal_upload_shows_the_message_next_to_the_slot(self):
        permohonan = self._new_file()
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._upload_boundary(permohonan, geojson(to_lonlat(utm_rectangle())[:-1]))
        self.assertFalse(
            permohonan.document_version_ids.filtered(
                lambda d: d.document_type_id == self.boundary_type
            )
        )


@tagged("post_install", "-at_install")
class TestSiteChecks(KiSiteCase):
    """The Berita Acara's site checks, each with both outcomes."""

    def test_measured_area_against_declared(self):
        within = self._file_with_boundary(geojson(utm_rectangle(), epsg=UTM_49S), area_ha=61)
        self.assertTrue(self._checks(within, "Measured area against the declared area")[0]["ok"])
        beyond = self._file_with_boundary(geojson(utm_rectangle(), epsg=UTM_49S), area_ha=65)
        row = self._checks(beyond, "Measured area against the declared area")[0]
        self.assertFalse(row["ok"])
        self.assertIn("60", row["value"])
        config = self.env["ki.letter.config"]._get()
        config.area_tolerance_pct = 10
        self.assertTrue(self._checks(beyond, "Measured area against the declared area")[0]["ok"])

    def test_measured_area_against_minimum(self):
        permohonan = self._file_with_boundary(geojson(utm_rectangle(), epsg=UTM_49S), area_ha=60)
        self.assertTrue(self._checks(permohonan, "Measured estate area")[0]["ok"])
        small = utm_rectangle(width=500)  # 30 ha
        permohonan = self._file_with_boundary(geojson(small, epsg=UTM_49S), area_ha=60)
        self.assertFalse(self._checks(permohonan, "Measured estate area")[0]["ok"])
        ikm = self._file_with_boundary(geojson(small, epsg=UTM_49S), estate_type="ikm", area_ha=30)
        self.assertTrue(self._checks(ikm, "Measured estate area")[0]["ok"])

    def test_two_parcels_fail_contiguity(self):
        one = self._file_with_boundary(geojson(utm_rectangle(), epsg=UTM_49S))
        self.assertTrue(self._checks(one, "One contiguous parcel")[0]["ok"])
        second = utm_rectangle(x0=X0 + 1300, width=400)
        two = self._file_with_boundary(geojson(utm_rectangle(), second, epsg=UTM_49S))
        self.assertEqual(two.site_parcel_count, 2)
        row = self._checks(two, "One contiguous parcel")[0]
        self.assertFalse(row["ok"])
        self.assertIn("2", row["value"])
        # two polygons sharing an edge are one parcel
        touching = utm_rectangle(x0=X0 + 1000, width=400)
        joined = self._file_with_boundary(geojson(utm_rectangle(), touching, epsg=UTM_49S))
        self.assertEqual(joined.site_parcel_count, 1)

    def test_overlap_reports_the_other_estate_and_hectares(self):
        first = self._other_company_file(geojson(utm_rectangle(), epsg=UTM_49S))
        # shifted 500 m east: 500 m x 600 m shared = 30 ha
        shifted = utm_rectangle(x0=X0 + 500)
        second = self._file_with_boundary(geojson(shifted, epsg=UTM_49S))
        overlaps = second._site_overlaps()
        self.assertEqual([name for name, _area in overlaps], [first.display_name])
        self.assertAlmostEqual(overlaps[0][1], 30.0, delta=0.03)
        row = self._checks(second, "Overlap with other estates")[0]
        self.assertFalse(row["ok"])
        self.assertIn(first.name, row["value"])
        self.assertIn("30", row["value"])
        # the other way round: a draft is not an estate yet, a submitted one is
        self.assertFalse(first._site_overlaps())
        self._file_in("submitted", second)
        self.assertAlmostEqual(first._site_overlaps()[0][1], 30.0, delta=0.03)

    def test_no_overlap_with_neighbour_or_withdrawn_estate(self):
        self._other_company_file(geojson(utm_rectangle(x0=X0 + 1000), epsg=UTM_49S))
        withdrawn = self._other_company_file(geojson(utm_rectangle(), epsg=UTM_49S))
        withdrawn.with_user(self.other_applicant).action_cancel()
        permohonan = self._file_with_boundary(geojson(utm_rectangle(), epsg=UTM_49S))
        row = self._checks(permohonan, "Overlap with other estates")[0]
        self.assertTrue(row["ok"], "sharing an edge is not overlapping")
        self.assertEqual(permohonan.site_overlap_ha, 0)

    def test_prefilter_leaves_far_estates_out(self):
        near = self._other_company_file(geojson(utm_rectangle(x0=X0 + 2000), epsg=UTM_49S))
        far = self._other_company_file(geojson(utm_rectangle(x0=X0 + 90000), epsg=UTM_49S))
        permohonan = self._file_with_boundary(geojson(utm_rectangle(), epsg=UTM_49S))
        boundary = permohonan.boundary_id
        bounds = (boundary.min_lon, boundary.min_lat, boundary.max_lon, boundary.max_lat)
        found = self.env["ki.estate.boundary"]._search_bbox(bounds, permohonan.id, margin=0.05)
        self.assertIn(near.boundary_id, found)
        self.assertNotIn(far.boundary_id, found)
        self.assertFalse(self.env["ki.estate.boundary"]._search_bbox(bounds, permohonan.id))

    def test_land_use_upper_bounds(self):
        permohonan = self._new_file(
            share_industrial=62, share_green=10, share_road=13, share_other=15
        )
        roads = self._checks(permohonan, "Roads and drainage")
        self.assertEqual([row["ok"] for row in roads], [True, False], "at least 8%, at most 12%")
        self.assertFalse(self._checks(permohonan, "Other facilities")[0]["ok"])
        fine = self._new_file(share_industrial=70, share_green=12, share_road=10, share_other=8)
        self.assertTrue(all(row["ok"] for row in self._checks(fine, "Roads and drainage")))
        self.assertTrue(self._checks(fine, "Other facilities")[0]["ok"])

    def test_without_boundary(self):
        # not required (the default): nothing to measure, no land checks
        permohonan = self._new_file()
        self.assertFalse(self._checks(permohonan, "Estate boundary"))
        self.boundary_type.required = True
        row = self._checks(permohonan, "Estate boundary")[0]
        self.assertFalse(row["ok"])

    def test_berita_acara_prints_the_checks_and_the_regulation(self):
        permohonan = self._file_with_boundary(
            geojson(utm_rectangle(), epsg=UTM_49S), state="verification"
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.verifier)
            ._render_qweb_html(
                "kawasan_industri_verif.action_report_ki_berita_acara", permohonan.ids
            )[0]
            .decode()
        )
        self.assertIn("PP Nomor 20 Tahun 2024", html)
        lang_permohonan = permohonan.with_context(lang=self.env.company._ki_lang())
        for row in lang_permohonan._site_checks():
            self.assertIn(str(row["label"]), html)


@tagged("post_install", "-at_install")
class TestSiteAccess(KiSiteCase):
    """Applicants see their own boundary and only the size of an overlap."""

    def test_applicant_sees_only_the_overlap_size(self):
        other = self._other_company_file(geojson(utm_rectangle(), epsg=UTM_49S))
        mine = self._file_with_boundary(geojson(utm_rectangle(x0=X0 + 500), epsg=UTM_49S))
        values = mine.with_user(self.applicant)._portal_site_values()
        self.assertAlmostEqual(values["overlap_ha"], 30.0, delta=0.03)
        self.assertEqual(json.loads(values["geometry"]), json.loads(mine.boundary_id.geojson))
        self.assertNotIn(other.name, json.dumps(values, default=str))
        [read] = mine.with_user(self.applicant).read(["site_overlap_ha"])
        self.assertAlmostEqual(read["site_overlap_ha"], 30.0, delta=0.03)
        with self.assertRaises(AccessError):
            mine.with_user(self.applicant).read(["site_map_data"])
        with self.assertRaises(AccessError):
            mine.with_user(self.applicant).read(["site_overlap_summary"])
        with self.assertRaises(AccessError):
            self.env["ki.permohonan"].with_user(self.applicant).get_site_overview_data()
        with self.assertRaises(AccessError):
            self.env["ki.estate.boundary"].with_user(self.applicant).search([])

    def test_office_map_shows_neighbours_with_their_overlap(self):
        other = self._other_company_file(geojson(utm_rectangle(), epsg=UTM_49S))
        mine = self._file_with_boundary(geojson(utm_rectangle(x0=X0 + 500), epsg=UTM_49S))
        data = json.loads(mine.with_user(self.kabid).site_map_data)
        self.assertEqual(data["own"]["area_ha"], 60.0)
        self.assertEqual([n["name"] for n in data["neighbors"]], [other.display_name])
        self.assertAlmostEqual(data["neighbors"][0]["overlap_ha"], 30.0, delta=0.03)
        self.assertIn("url", data["tiles"])
        overview = self.env["ki.permohonan"].with_user(self.auditor).get_site_overview_data()
        ids = {estate["id"] for estate in overview["estates"]}
        self.assertTrue({mine.id, other.id} <= ids)
