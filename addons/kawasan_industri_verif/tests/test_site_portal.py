import hashlib
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .site_common import UTM_49S, X0, KiSiteCase, geojson, utm_rectangle


@tagged("post_install", "-at_install")
class TestSitePortal(HttpCase, KiSiteCase):
    """The applicant's page shows their boundary and inspections, never another estate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls._other_company_file(geojson(utm_rectangle(), epsg=UTM_49S))
        cls.mine = cls._file_with_boundary(
            geojson(utm_rectangle(x0=X0 + 500), epsg=UTM_49S),
            state="verification",
            estate_name="Kawasan Milik Sendiri",
        )
        cls.inspection = (
            cls.env["ki.inspection"]
            .with_user(cls.verifier)
            .create(
                {
                    "permohonan_id": cls.mine.id,
                    "date_planned": fields.Datetime.now() + timedelta(days=1),
                    "participant_ids": [(6, 0, cls.verifier.ids)],
                    "present_user_ids": [(6, 0, cls.verifier.ids)],
                }
            )
        )
        cls.inspection.item_ids[0].result = "conform"
        cls.inspection.with_user(cls.verifier).action_close()

    def test_page_shows_own_boundary_and_overlap_size_only(self):
        self.authenticate(self.applicant.login, self.applicant.login)
        page = self.url_open(f"/my/permohonan/{self.mine.id}").text
        self.assertIn('id="ki_site"', page)
        self.assertIn("o_ki_portal_site_map", page)
        self.assertIn(self.verifier.name, page)
        self.assertIn(self.inspection.name, page)
        self.assertRegex(page, r'ki_site_overlap">\s*<span class="text-danger">\s*30')
        for secret in (self.other.name, self.other.estate_name, self.other_company.name):
            self.assertNotIn(secret, page)

    def test_minutes_download_for_the_applicant_only(self):
        url = f"/my/permohonan/{self.mine.id}/inspection/{self.inspection.id}"
        self.authenticate(self.applicant.login, self.applicant.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, self.inspection.attachment_id.raw)
        self.authenticate(self.other_applicant.login, self.other_applicant.login)
        self.assertEqual(self.url_open(url).status_code, 404)
        wrong = f"/my/permohonan/{self.other.id}/inspection/{self.inspection.id}"
        self.assertEqual(self.url_open(wrong).status_code, 404)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_the_report_route_serves_the_stored_minutes(self):
        url = f"/report/pdf/kawasan_industri_verif.report_ki_inspection/{self.inspection.id}"
        self.authenticate(self.kabid.login, self.kabid.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(hashlib.sha256(response.content).hexdigest(), self.inspection.sha256)
        self.authenticate(self.applicant.login, self.applicant.login)
        response = self.url_open(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"%PDF", response.content[:8])
