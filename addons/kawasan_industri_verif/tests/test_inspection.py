import base64
import hashlib
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .site_common import TO_WGS84, UTM_49S, X0, Y0, KiSiteCase, geojson, photo, utm_rectangle
from .test_integrity import ROLES

# A point inside the test rectangle, and one 2 km north of it.
INSIDE = TO_WGS84.transform(X0 + 500, Y0 + 300)
OUTSIDE = TO_WGS84.transform(X0 + 500, Y0 + 2600)
INSPECTION_REPORT = "kawasan_industri_verif.report_ki_inspection"


@tagged("post_install", "-at_install")
class TestInspection(KiSiteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.permohonan = cls._file_with_boundary(
            geojson(utm_rectangle(), epsg=UTM_49S), state="verification"
        )

    def _schedule(self, user=None, permohonan=None):
        return (
            self.env["ki.inspection"]
            .with_user(user or self.verifier)
            .create(
                {
                    "permohonan_id": (permohonan or self.permohonan).id,
                    "date_planned": fields.Datetime.now() + timedelta(days=2),
                    "participant_ids": [(6, 0, self.verifier.ids)],
                    "applicant_participants": "Dewi Kartika, Direktur",
                }
            )
        )

    def _add_photo(self, inspection, data, **vals):
        return (
            self.env["ki.inspection.photo"]
            .with_user(self.verifier)
            .create(
                dict(
                    {"inspection_id": inspection.id, "image": base64.b64encode(data)},
                    **vals,
                )
            )
        )

    def test_scheduling_tells_the_applicant(self):
        inspection = self._schedule()
        self.assertEqual(inspection.state, "scheduled")
        self.assertTrue(inspection.item_ids, "the usual items are there to fill in")
        message = self.permohonan.message_ids.filtered(
            lambda m: self.applicant.partner_id in m.partner_ids
        )[:1]
        self.assertTrue(message, "the applicant is notified")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"), "shown on the portal")
        self.assertIn(self.verifier.name, message.body)
        mailed = message.notification_ids.filtered(lambda n: n.notification_type == "email")
        self.assertIn(self.applicant.partner_id, mailed.res_partner_id, "and mailed")

    def test_only_an_assigned_verifier_schedules_during_verification(self):
        for user in (self.verifier2, self.kabid, self.applicant):
            with self.assertRaises(AccessError):
                self._schedule(user)
        draft = self._file_with_boundary(geojson(utm_rectangle(), epsg=UTM_49S), state="submitted")
        with self.assertRaises(AccessError):
            self._schedule(permohonan=draft)
        with self.assertRaises(AccessError):
            self.permohonan.with_user(self.verifier2).action_schedule_inspection()
        action = self.permohonan.with_user(self.verifier).action_schedule_inspection()
        self.assertEqual(action["res_model"], "ki.inspection")

    def test_participants_are_verifiers(self):
        with self.assertRaises(UserError):
            self.env["ki.inspection"].with_user(self.verifier).create(
                {
                    "permohonan_id": self.permohonan.id,
                    "date_planned": fields.Datetime.now(),
                    "participant_ids": [(6, 0, self.kabid.ids)],
                }
            )

    def test_photo_position_read_from_exif(self):
        inspection = self._schedule()
        taken = datetime(2026, 3, 12, 2, 30, 0)
        inside = self._add_photo(inspection, photo(*INSIDE, utc=taken))
        self.assertEqual(inside.position, "inside")
        self.assertAlmostEqual(inside.latitude, INSIDE[1], places=5)
        self.assertAlmostEqual(inside.longitude, INSIDE[0], places=5)
        self.assertEqual(inside.taken_at, taken)
        outside = self._add_photo(inspection, photo(*OUTSIDE, utc=taken))
        self.assertEqual(outside.position, "outside")
        # no GPS: the camera's local time, taken in the office's zone (WIB, UTC+7)
        unknown = self._add_photo(inspection, photo(local=datetime(2026, 3, 12, 9, 30)))
        self.assertEqual(unknown.position, "unknown")
        self.assertEqual(unknown.taken_at, datetime(2026, 3, 12, 2, 30))
        map_data = self.permohonan.with_user(self.verifier).site_map_data
        self.assertIn('"position": "outside"', map_data)

    def test_photo_position_is_not_typed(self):
        inspection = self._schedule()
        shot = self._add_photo(inspection, photo(*OUTSIDE), latitude=1.0, position="inside")
        self.assertEqual(shot.position, "outside", "what the client sends is ignored")
        with self.assertRaises(AccessError):
            shot.with_user(self.verifier).write({"position": "inside"})
        with self.assertRaises(UserError):
            self._add_photo(inspection, b"%PDF-1.4 not a photo")

    def test_close_numbers_renders_and_freezes(self):
        inspection = self._schedule()
        shot = self._add_photo(inspection, photo(*INSIDE))
        with self.assertRaises(UserError):
            inspection.with_user(self.verifier).action_close()  # nobody marked present
        inspection.with_user(self.verifier).write({"present_user_ids": [(6, 0, self.verifier.ids)]})
        with self.assertRaises(UserError):
            inspection.with_user(self.verifier).action_close()  # no finding yet
        inspection.item_ids[0].with_user(self.verifier).write(
            {"result": "conform", "finding": "Patok batas sesuai"}
        )
        inspection.with_user(self.verifier).action_close()
        self.assertEqual(inspection.state, "done")
        year = fields.Date.context_today(inspection).year
        self.assertRegex(inspection.name, rf"^BAPL/\d{{4}}/DISPERIN/{year}$")
        pdf = inspection.attachment_id.raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(inspection.sha256, hashlib.sha256(pdf).hexdigest())
        self.assertIn(inspection.name, self.permohonan.message_ids[0].body)
        # frozen: the inspection, its findings, photos and files
        with self.assertRaises(UserError):
            inspection.with_user(self.verifier).write({"summary": "diubah"})
        with self.assertRaises(UserError):
            inspection.item_ids[0].with_user(self.verifier).write({"finding": "diubah"})
        with self.assertRaises(UserError):
            self._add_photo(inspection, photo(*INSIDE))
        with self.assertRaises(UserError):
            shot.with_user(self.verifier).unlink()
        with self.assertRaises(UserError):
            inspection.sudo().write({"summary": "diubah oleh sistem"})
        with self.assertRaises(UserError):
            inspection.sudo().unlink()
        self.assertEqual(inspection.attachment_id.raw, pdf)
        action = inspection.with_user(self.kabid).action_print()
        self.assertIn(f"/web/content/{inspection.attachment_id.id}", action["url"])

    def _closed(self):
        """A closed inspection with one photo."""
        inspection = self._schedule()
        self._add_photo(inspection, photo(*INSIDE))
        inspection.write({"present_user_ids": [(6, 0, self.verifier.ids)]})
        inspection.item_ids[0].result = "conform"
        inspection.with_user(self.verifier).action_close()
        return inspection

    def _file_state(self, attachment):
        attachment.invalidate_recordset()
        record = attachment.sudo()
        return (record.exists().ids, record.checksum, record.name, record.public, record.res_id)

    def test_closed_files_never_change_for_anyone(self):
        """Every role, and sudo, x the minutes and the photo's files (photo, thumbnail) x
        write bytes, rename, move, make public, unfreeze, delete: refused, file unchanged."""
        inspection = self._closed()
        photo_files = inspection._photo_attachments()
        self.assertEqual(
            sorted(photo_files.mapped("res_field")), ["image", "thumbnail"], "both files frozen"
        )
        files = {"minutes": inspection.attachment_id, **{a.res_field: a for a in photo_files}}
        self.assertTrue(all(a.ki_frozen for a in files.values()))
        changes = {
            "bytes": lambda a: a.write({"datas": base64.b64encode(b"forged")}),
            "raw": lambda a: a.write({"raw": b"forged"}),
            "name": lambda a: a.write({"name": "forged.pdf"}),
            "res_id": lambda a: a.write({"res_id": a.res_id + 1}),
            "public": lambda a: a.write({"public": True}),
            "unfreeze": lambda a: a.write({"ki_frozen": False}),
            "unlink": lambda a: a.unlink(),
        }
        users = {role: getattr(self, role) for role in ROLES}
        refused = 0
        for label, attachment in files.items():
            before = self._file_state(attachment)
            for role in [*users, "sudo"]:
                target = attachment.sudo() if role == "sudo" else attachment.with_user(users[role])
                for change, apply in changes.items():
                    with self.subTest(file=label, role=role, change=change):
                        with self.assertRaises(UserError):  # AccessError is a UserError
                            apply(target)
                        self.assertEqual(self._file_state(attachment), before)
                        refused += 1
        self.assertEqual(refused, len(files) * (len(ROLES) + 1) * len(changes))

    def test_photos_of_a_cancelled_inspection_are_kept(self):
        inspection = self._schedule()
        self._add_photo(inspection, photo(*INSIDE))
        self.assertFalse(any(inspection._photo_attachments().mapped("ki_frozen")))
        inspection.with_user(self.verifier).action_cancel()
        files = inspection._photo_attachments()
        self.assertTrue(files and all(files.mapped("ki_frozen")))
        with self.assertRaises(UserError):
            files[0].sudo().write({"raw": photo(*OUTSIDE)})
        with self.assertRaises(UserError):
            files.sudo().unlink()

    def test_freezing_existing_files_covers_the_inspections(self):
        """The install and upgrade hook freezes minutes and photos closed before it."""
        inspection = self._closed()
        files = inspection.attachment_id | inspection._photo_attachments()
        open_inspection = self._schedule()
        self._add_photo(open_inspection, photo(*INSIDE))
        self.env.cr.execute(
            "UPDATE ir_attachment SET ki_frozen = false WHERE id IN %s", [tuple(files.ids)]
        )
        self.env.invalidate_all()
        self.env["ir.attachment"]._ki_freeze_existing()
        self.env.invalidate_all()
        self.assertTrue(all(files.mapped("ki_frozen")))
        self.assertFalse(any(open_inspection._photo_attachments().mapped("ki_frozen")))

    def test_the_integrity_check_verifies_the_minutes(self):
        inspection = self._closed()
        Check = self.env["ki.integrity.check"]
        check = Check._run(self.permohonan)
        self.assertEqual(check.state, "intact", check.first_break)
        self.assertEqual(check.evidence_count, len(self.permohonan.document_version_ids) + 1)
        descriptions = [row[0] for row in self.permohonan._evidence_files()]
        self.assertIn(f"field inspection minutes {inspection.name}", descriptions)
        attachment = inspection.attachment_id.sudo()
        path = attachment._full_path(attachment.store_fname)
        with open(path, "rb") as original:
            content = original.read()
        try:
            with open(path, "wb") as forged:
                forged.write(b"%PDF-1.4 forged")
            self.env.invalidate_all()  # the first check read the file into the cache
            check = Check._run(self.permohonan)
            self.assertEqual(check.state, "broken")
            self.assertIn(inspection.name, check.first_break)
            self.assertIn("SHA-256", check.first_break)
        finally:
            with open(path, "wb") as restored:
                restored.write(content)

    def test_the_report_serves_the_stored_minutes(self):
        """Once closed, printing the report gives the stored PDF, never a new rendering nor
        an attachment of the same name; a cancelled inspection has no minutes."""
        inspection = self._closed()
        self.env["ir.attachment"].sudo().create(
            {
                "name": inspection.attachment_id.name,
                "raw": b"%PDF-1.4 forged",
                "res_model": "ki.inspection",
                "res_id": inspection.id,
            }
        )
        # a new rendering would print the new letterhead
        self.env["ki.letter.config"]._get().office_name = "DINAS YANG BERGANTI NAMA"
        for user in (self.verifier, self.kabid, self.auditor):
            pdf, _type = (
                self.env["ir.actions.report"]
                .with_user(user)
                ._render_qweb_pdf(INSPECTION_REPORT, inspection.ids)
            )
            self.assertEqual(hashlib.sha256(pdf).hexdigest(), inspection.sha256)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.verifier2)._render_qweb_pdf(
                INSPECTION_REPORT, inspection.ids
            )
        cancelled = self._schedule()
        cancelled.with_user(self.verifier).action_cancel()
        with self.assertRaises(UserError):
            self.env["ir.actions.report"].with_user(self.kabid)._render_qweb_pdf(
                INSPECTION_REPORT, cancelled.ids
            )
        with self.assertRaises(UserError):
            cancelled.with_user(self.kabid).action_print()

    def test_numbers_follow_each_other(self):
        names = []
        for _index in range(2):
            inspection = self._schedule()
            inspection.write({"present_user_ids": [(6, 0, self.verifier.ids)]})
            inspection.item_ids[0].result = "conform"
            inspection.with_user(self.verifier).action_close()
            names.append(inspection.name)
        serials = [int(name.split("/")[1]) for name in names]
        self.assertEqual(serials[1], serials[0] + 1)

    def test_status_fields_change_only_by_actions(self):
        inspection = self._schedule()
        with self.assertRaises(AccessError):
            inspection.with_user(self.verifier).write({"state": "done", "name": "BAPL/9999"})

    def test_required_inspection_blocks_the_draft(self):
        config = self.env["ki.letter.config"]._get()
        config.inspection_required_general = True
        self.permohonan.with_user(self.verifier).action_mark_documents_valid()
        kwargs = self._kwargs("action_submit_draft")
        with self.assertRaisesRegex(UserError, "field inspection is required"):
            self.permohonan.with_user(self.verifier).action_submit_draft(**kwargs)
        self.assertEqual(self.permohonan.state, "verification")
        inspection = self._schedule()
        with self.assertRaisesRegex(UserError, "field inspection is required"):
            self.permohonan.with_user(self.verifier).action_submit_draft(**kwargs)
        inspection.write({"present_user_ids": [(6, 0, self.verifier.ids)]})
        inspection.item_ids[0].result = "conform"
        inspection.with_user(self.verifier).action_close()
        self.permohonan.with_user(self.verifier).action_submit_draft(**kwargs)
        self.assertEqual(self.permohonan.state, "kabid_review")

    def test_inspection_not_required_for_other_type(self):
        config = self.env["ki.letter.config"]._get()
        config.inspection_required_ikm = True
        self.permohonan.with_user(self.verifier).action_mark_documents_valid()
        self.permohonan.with_user(self.verifier).action_submit_draft(
            **self._kwargs("action_submit_draft")
        )
        self.assertEqual(self.permohonan.state, "kabid_review")
