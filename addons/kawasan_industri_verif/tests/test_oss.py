import re
from datetime import timedelta

import pytz
from freezegun import freeze_time
from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.ki_oss_config import OssError
from .common import PASSPHRASE, SCAN
from .fake_oss import RECEIVE_LICENSE_STATUS_FIELDS, license_status_problems
from .oss_common import ID_IZIN, KD_INSTANSI, KD_IZIN, NIB, USER_KEY, OssCase
from .test_letters import pdf_text

BERITA_ACARA = "kawasan_industri_verif.report_ki_berita_acara"
CRON = "kawasan_industri_verif.ir_cron_ki_oss_send"


@tagged("post_install", "-at_install")
class TestOssNibData(OssCase):
    """inqueryNIB: what OSS says about the NIB is linked to the file, fills what the file
    lacks, never overwrites what the applicant typed, and every difference is shown."""

    def test_fetch_from_oss_fills_the_file_and_records_provenance(self):
        permohonan = self._file_in("submitted", self._new_file(pic_position="Direktur"))
        self.assertEqual(permohonan.oss_sync_state, "pending", "submission queued the check")
        self._run_outbox()  # the queued check: a second lookup, below, must give the same
        result = permohonan.with_user(self.sekretariat).action_oss_fetch()

        self.assertEqual(result["params"]["type"], "success")
        calls = self.fake.calls_of("inqueryNIB")
        self.assertEqual(
            [c["body"] for c in calls[-1:]], [{"INQUERYNIB": {"nib": NIB, "oss_id": f"P-{NIB}"}}]
        )
        self.assertTrue(all(c["authorized"] for c in calls), "the user_key header was sent")
        profile = permohonan.oss_profile_id
        self.assertEqual(profile.nib, NIB)
        self.assertEqual(profile.company_name, "PT Uji Kawasan")
        self.assertEqual(profile.npwp, "012345678901000")
        self.assertEqual(profile.kbli_codes, "68111, 41011")
        self.assertEqual(profile.pic_position, "Direktur Utama")
        self.assertEqual(profile.id_izin, ID_IZIN, "the checklist entry of the office's kd_izin")
        self.assertEqual(profile.id_proyek, "R-12345601")
        self.assertEqual(profile.id_produk, "PR-1")
        self.assertEqual(profile.user_id, self.sekretariat)
        self.assertTrue(profile.fetch_date)

        # what the file lacked is filled in; what the applicant typed stays as typed
        self.assertEqual(
            permohonan.company_address, "Jl. Industri Raya No. 7, RT/RW 001/002, Mororejo, 51371"
        )
        self.assertEqual(permohonan.kbli_codes, "68111, 41011")
        self.assertEqual(permohonan.oss_request_number, ID_IZIN)
        self.assertEqual(permohonan.pic_position, "Direktur")
        self.assertEqual(permohonan.npwp, "01.234.567.8-901.000")

        rows = {row["label"]: row for row in permohonan._oss_comparison()}
        self.assertEqual(rows["NPWP"]["source"], "oss", "same digits: the NPWP agrees")
        self.assertFalse(rows["NPWP"]["mismatch"])
        self.assertEqual(rows["KBLI"]["source"], "oss")
        position = rows["Position of the Person in Charge"]
        self.assertEqual((position["file"], position["oss"]), ("Direktur", "Direktur Utama"))
        self.assertTrue(position["mismatch"])
        self.assertEqual(position["source"], "applicant")
        self.assertEqual(
            [row["label"] for row in permohonan._oss_mismatches()],
            ["Position of the Person in Charge"],
        )
        self.assertTrue(permohonan.oss_mismatch)
        self.assertEqual(permohonan.oss_sync_state, "synced")
        html = permohonan.with_user(self.verifier).oss_comparison_html
        self.assertIn("Direktur Utama", html)
        self.assertIn("table-warning", html)
        notes = permohonan.message_ids.mapped("body")
        filled = [body for body in notes if "Filled in from OSS" in body]
        self.assertEqual(len(filled), 1, "the first answer filled the file, and says so")
        self.assertIn("Company Address", filled[0])
        self.assertEqual(len([body for body in notes if "Differs from OSS" in body]), 2)

    def test_mismatch_is_listed_in_the_berita_acara(self):
        permohonan = self._file_in("verification", self._new_file(pic_name="Budi Santoso"))
        permohonan.verifier_ids = self.verifier
        permohonan.with_user(self.sekretariat).action_oss_fetch()
        html = self.env["ir.actions.report"]._render_qweb_html(BERITA_ACARA, permohonan.ids)[0]
        html = html.decode()
        self.assertIn("ki-oss-mismatches", html)
        table = html[html.index("ki-oss-mismatches") :]
        table = table[: table.index("</table>")]
        self.assertIn("Budi Santoso", table)
        self.assertIn("Dewi Kartika", table)
        self.assertNotIn("PT Uji Kawasan", table, "the company agrees with OSS")
        # the minutes frozen as the team submits them keep the comparison
        self._act(permohonan, "action_submit_draft", "verifier")
        frozen = pdf_text(permohonan.sudo().berita_acara_ids.attachment_id.raw)
        self.assertIn("Budi Santoso", frozen)
        self.assertIn("Dewi Kartika", frozen)

        agreeing = self._file_in("verification", self._new_file(pic_position="Direktur Utama"))
        agreeing.with_user(self.sekretariat).action_oss_fetch()
        html = self.env["ir.actions.report"]._render_qweb_html(BERITA_ACARA, agreeing.ids)[0]
        self.assertTrue(b"ki-oss-check" in html, "the check is stated")
        self.assertFalse(b"ki-oss-mismatches" in html, "no difference, no table")

    def test_unknown_nib(self):
        permohonan = self._file_in("submitted", self._new_file(nib="9129999999999"))
        self._run_outbox()  # the check queued at submission
        result = permohonan.with_user(self.sekretariat).action_oss_fetch()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("does not know this NIB", result["params"]["message"])
        self.assertIn("Data NIB tidak ditemukan", result["params"]["message"], "what OSS said")
        self.assertFalse(permohonan.oss_profile_id)
        self.assertFalse(permohonan.company_address)
        call = permohonan.oss_call_ids.filtered(lambda c: c.origin == "office")
        self.assertEqual(call.state, "failed", "an unknown NIB is not asked again")
        self.assertEqual(permohonan.oss_call_ids.mapped("state"), ["failed", "failed"])
        self.assertEqual(call.last_error_code, "400")
        self.assertEqual(permohonan.oss_sync_state, "error")

    def test_only_the_secretariat_calls_oss_from_a_file(self):
        permohonan = self._file_in("submitted")
        for user in (self.verifier, self.kabid, self.applicant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                permohonan.with_user(user).action_oss_fetch()
        self.assertFalse(permohonan.with_user(self.verifier).can_oss_fetch)
        self.assertTrue(permohonan.with_user(self.sekretariat).can_oss_fetch)
        with self.assertRaises(UserError):
            self._new_file().with_user(self.sekretariat).action_oss_fetch()  # a draft

    def test_link_and_provenance_fields_are_the_system_s(self):
        permohonan = self._new_file()
        profile = self.env["ki.oss.profile"]._create_from_oss(self._nib_data())
        with self.assertRaises(AccessError):
            permohonan.with_user(self.applicant).write({"oss_profile_id": profile.id})
        with self.assertRaises(AccessError):
            permohonan.with_user(self.sekretariat).write({"oss_license_status": "50"})
        with self.assertRaises(UserError):
            profile.write({"npwp": "000000000000000"})
        submitted = self._file_in("submitted")
        with self.assertRaises(AccessError):
            submitted.with_user(self.sekretariat).write({"kbli_codes": "10101"})
        with self.assertRaises(ValidationError):
            permohonan.with_user(self.applicant).write({"kbli_codes": "6811"})

    def test_kbli_sent_as_a_number_keeps_its_leading_zero(self):
        data = self._nib_data(kbli=((1111, "Pertanian"),))  # 4.3.22 documents kbli as number(7)
        profile = self.env["ki.oss.profile"]._create_from_oss(data)
        self.assertEqual(profile.kbli_codes, "01111")


@tagged("post_install", "-at_install")
class TestOssOutbox(OssCase):
    """Nothing waits for OSS: the step goes on, the call waits in the outbox and is sent
    by the scheduled action, with back-off, once."""

    def test_oss_down_during_submission_then_sent_later(self):
        self.fake.down = True
        permohonan = self._new_file()
        permohonan.with_user(self.applicant).action_submit()
        self.assertEqual(permohonan.state, "submitted", "the submission does not wait for OSS")
        call = permohonan.oss_call_ids
        self.assertEqual((call.method, call.state, call.attempts), ("inqueryNIB", "pending", 0))
        self.assertEqual(call.payload, {"INQUERYNIB": {"nib": NIB}})
        self.assertFalse(self.fake.calls, "nothing is sent inside the transition")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.env.ref(CRON).id)]),
            "the outbox is woken up",
        )

        start = fields.Datetime.now()
        with freeze_time(start):
            self.assertEqual(self._run_outbox(), call)
        self.assertEqual(
            (call.state, call.attempts, call.last_error_code), ("pending", 1, "network")
        )
        self.assertIn("cannot be reached", call.last_error)
        self.assertEqual(call.next_try, start + timedelta(minutes=2))
        self.assertEqual(permohonan.oss_sync_state, "pending")
        self.assertFalse(permohonan.oss_profile_id)
        with freeze_time(start + timedelta(minutes=1)):
            self.assertFalse(self._run_outbox(), "not due before its next try")
        with freeze_time(start + timedelta(minutes=3)):
            self._run_outbox()
        self.assertEqual((call.attempts, call.next_try), (2, start + timedelta(minutes=3 + 4)))

        self.fake.down = False
        with freeze_time(start + timedelta(minutes=8)):
            self._run_outbox()
        self.assertEqual((call.state, call.attempts), ("done", 3))
        self.assertFalse(call.last_error_code)
        self.assertEqual(permohonan.oss_sync_state, "synced")
        self.assertEqual(permohonan.oss_profile_id.nib, NIB)
        self.assertEqual(permohonan.kbli_codes, "68111, 41011", "filled in when OSS answered")
        self.assertFalse(self._run_outbox(), "sent once")
        self.assertEqual(len(self.fake.calls_of("inqueryNIB")), 1)

    def test_401_and_500_answers(self):
        permohonan = self._new_file()
        self.fake.fail_next(401)
        self.fake.fail_next(500)
        permohonan.with_user(self.applicant).action_submit()
        call = permohonan.oss_call_ids
        start = fields.Datetime.now()
        with freeze_time(start):
            self._run_outbox()
        self.assertEqual((call.state, call.last_error_code), ("pending", "401"))
        self.assertIn("user_key", call.last_error)
        self.assertIn("User Akses Tidak Valid", call.last_error)
        with freeze_time(start + timedelta(minutes=2)):
            self._run_outbox()
        self.assertEqual((call.state, call.last_error_code, call.attempts), ("pending", "500", 2))
        self.assertIn("failed to process", call.last_error)
        self.assertEqual(call.next_try, start + timedelta(minutes=2 + 4), "the delay doubles")
        with freeze_time(start + timedelta(minutes=6)):
            self._run_outbox()
        self.assertEqual((call.state, call.attempts), ("done", 3))

    def test_a_wrong_user_key_is_refused_by_oss(self):
        self.config.user_key = "not-the-key"
        permohonan = self._file_in("submitted")
        result = permohonan.with_user(self.sekretariat).action_oss_fetch()
        self.assertEqual(result["params"]["type"], "warning", "kept for a later try")
        self.assertIn("user_key", result["params"]["message"])
        self.assertEqual(self.fake.calls_of("inqueryNIB")[-1]["authorized"], False)

    def test_every_documented_error_code_has_its_message(self):
        """endpoint.js documents 400, 401, 403, 404, 405, 500 and 504 for each method."""
        Config = self.env["ki.oss.config"].with_context(lang="id_ID")
        messages = {}
        for code in ("400", "401", "403", "404", "405", "500", "504"):
            self.fake.fail_next(code=int(code), method="checkLicenseStatus")
            call = self.env["ki.oss.call"]._send_now(
                "checkLicenseStatus", {"CHECKLICENSESTATUS": {"id_izin": ID_IZIN}}
            )
            self.assertEqual(call.last_error_code, code)
            messages[code] = Config._error_message(code)
            self.assertIn(f"({code})", messages[code])
        self.assertEqual(len(set(messages.values())), 7, "one message per code")
        self.assertIn("user_key", messages["401"])
        self.assertIn("tidak", messages["401"].lower(), "written in Indonesian")

    def test_answers_read_the_documented_ways(self):
        Config = self.env["ki.oss.config"]
        ok = b'{"responcheckLicenseStatus": {"kode": "200", "dataIZIN": {"kd_status": "50"}}}'
        self.assertEqual(
            Config._read_answer("checkLicenseStatus", 200, ok)["dataIZIN"], {"kd_status": "50"}
        )
        cases = [
            (200, b'{"responinqueryNIB": {"kode": 400, "keterangan": "x"}}', "400"),
            (401, b'{"responinqueryNIB": {"kode": 401}}', "401"),
            (504, b"<html>Gateway Timeout</html>", "504"),
            (502, b"", "other"),
            (200, b"not json", "bad_response"),
            (200, b'{"somethingElse": {}}', "bad_response"),
        ]
        for status, content, code in cases:
            with self.subTest(status=status, content=content):
                with self.assertRaises(OssError) as caught:
                    Config._read_answer("inqueryNIB", status, content)
                self.assertEqual(caught.exception.code, code)

    def test_admin_sends_again_or_cancels(self):
        permohonan = self._file_in("submitted", self._new_file(nib="9129999999999"))
        self._run_outbox()
        call = permohonan.oss_call_ids
        self.assertEqual(call.state, "failed")
        with self.assertRaises(AccessError):
            call.with_user(self.sekretariat).action_retry()
        call.with_user(self.ki_admin).action_retry()
        self.assertEqual(call.state, "pending")
        self.assertEqual(self._run_outbox(), call)
        self.assertEqual((call.state, call.attempts), ("failed", 2))
        with self.assertRaises(AccessError):
            call.with_user(self.sekretariat).action_cancel()
        call.with_user(self.ki_admin).action_cancel()
        self.assertEqual(call.state, "cancelled")
        self.assertEqual(permohonan.oss_sync_state, "none")
        with self.assertRaises(UserError):
            call.with_user(self.ki_admin).action_retry()

    def test_link_off_queues_nothing(self):
        self.config.url = False
        permohonan = self._file_in("submitted")
        self.assertFalse(permohonan.oss_call_ids)
        self.assertEqual(permohonan.oss_sync_state, "none")
        self.assertFalse(permohonan.with_user(self.sekretariat).can_oss_fetch)

    def test_no_credentials_in_the_outbox_or_the_log(self):
        self.config.write({"basic_user": "gateway", "basic_password": "rahasia-basic-9"})
        self.fake.basic = ("gateway", "rahasia-basic-9")
        self.addCleanup(setattr, self.fake, "basic", None)
        self.fake.fail_next(500)
        with self.assertLogs("odoo.addons.kawasan_industri_verif", level="DEBUG") as logs:
            permohonan = self._file_in("submitted")
            self._run_outbox()
            with freeze_time(fields.Datetime.now() + timedelta(minutes=3)):
                self._run_outbox()
            permohonan.with_user(self.sekretariat).action_oss_fetch()
        self.assertEqual(len(self.fake.calls), 3)
        self.assertTrue(all(call["authorized"] for call in self.fake.calls), "Basic sent")
        calls = permohonan.oss_call_ids
        self.assertEqual(calls.mapped("state"), ["done", "done"])
        stored = " ".join(
            f"{c.payload} {c.response} {c.last_error} {c.last_error_detail}" for c in calls
        )
        for secret in (USER_KEY, "rahasia-basic-9"):
            self.assertNotIn(secret, stored)
            self.assertNotIn(secret, "\n".join(logs.output))
        self.assertTrue(any("failed (500)" in line for line in logs.output))


@tagged("post_install", "-at_install")
class TestOssLicenseStatus(OssCase):
    """receiveLicenseStatus when the letter is published, in the documented shape;
    checkLicenseStatus to read OSS's view."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signed = cls._file_in("numbering", cls._new_file(oss_request_number=ID_IZIN))

    def _reported(self, permohonan):
        return permohonan.oss_call_ids.filtered(lambda c: c.method == "receiveLicenseStatus")

    def test_status_payload_matches_the_documented_shape(self):
        permohonan = self.signed
        self.assertTrue(permohonan.sudo().letter_id, "signed, numbered and stored at step 7")
        self.assertFalse(self._reported(permohonan), "a signed letter is not reported yet")
        self._run_outbox()  # the NIB check queued at submission
        self.fake.reset()
        permohonan.with_user(self.sekretariat).action_number_and_publish()
        self.assertEqual(permohonan.state, "delivered")
        call = permohonan.oss_call_ids.filtered(lambda c: c.method == "receiveLicenseStatus")
        self.assertEqual(call.state, "pending", "queued by the publication, not sent in it")
        self.assertFalse(self.fake.calls)

        self._run_outbox()
        self.assertEqual(call.state, "done")
        received = self.fake.calls_of("receiveLicenseStatus")
        self.assertEqual(len(received), 1)
        body = received[0]["body"]
        self.assertEqual(list(body), ["IZINSTATUS"])
        status = body["IZINSTATUS"]
        # endpoint.js, @apiBody of receiveLicenseStatus: every mandatory field, each
        # optional one only when it applies, the documented types and lengths
        self.assertEqual(license_status_problems(status), [])
        mandatory = {name for name, spec in RECEIVE_LICENSE_STATUS_FIELDS.items() if spec[2]}
        self.assertEqual(set(status), mandatory | {"file_lampiran"})
        letter = permohonan.letter_id
        publish_wib = pytz.utc.localize(permohonan.publish_date).astimezone(
            pytz.timezone("Asia/Jakarta")
        )
        self.assertEqual(
            status,
            {
                "nib": NIB,
                "id_produk": "PR-1",
                "id_proyek": "R-12345601",
                "oss_id": f"P-{NIB}",
                "id_izin": ID_IZIN,
                "kd_izin": KD_IZIN,
                "kd_instansi": KD_INSTANSI,
                "kd_status": "50",
                "tgl_status": publish_wib.strftime("%Y-%m-%d %H:%M:%S"),
                "nip_status": "196805121994031005",
                "nama_status": "Test Kadis",
                "keterangan": status["keterangan"],
                "file_lampiran": f"{letter.verify_url}/pdf",
            },
        )
        self.assertRegex(status["tgl_status"], r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
        self.assertIn(letter.name, status["keterangan"])
        self.assertIn(permohonan.name, status["keterangan"])
        self.assertEqual(call.payload, body, "the outbox keeps exactly what was sent")
        self.assertEqual(self.fake.licenses[ID_IZIN]["kd_status"], "50")
        self.assertTrue(permohonan.oss_reported_date)
        self.assertEqual(permohonan.oss_sync_state, "synced")

        # checkLicenseStatus: OSS's view of the permit now
        permohonan.with_user(self.sekretariat).action_oss_check_status()
        self.assertEqual(
            self.fake.calls_of("checkLicenseStatus")[0]["body"],
            {"CHECKLICENSESTATUS": {"id_izin": ID_IZIN}},
        )
        self.assertEqual(permohonan.oss_license_status, "50")
        self.assertEqual(permohonan.oss_license_status_label, "Disetujui")
        self.assertTrue(permohonan.oss_license_checked)

    def test_a_rejection_is_reported_as_90(self):
        # below the minimum area: the automatic check fails, the reasons say so
        permohonan = self._file_in(
            "kabid_review", self._new_file(oss_request_number=ID_IZIN, area_ha=40.0)
        )
        self._act(
            permohonan,
            "action_kabid_approve",
            "kabid",
            decision="reject",
            decision_reason="Luas kawasan kurang dari 50 ha.",
        )
        self._walk(
            permohonan,
            [("action_kadis_sign", "kadis", {}), ("action_number_and_publish", "sekretariat", {})],
        )
        self._run_outbox()
        status = self.fake.calls_of("receiveLicenseStatus")[-1]["body"]["IZINSTATUS"]
        self.assertEqual(status["kd_status"], "90")
        self.assertEqual(self.fake.licenses[ID_IZIN]["kd_status"], "90")

    def test_a_correction_is_reported_with_the_new_letter(self):
        permohonan = self.signed
        permohonan.with_user(self.sekretariat).action_number_and_publish()
        self._run_outbox()
        old = permohonan.letter_id
        permohonan.with_user(self.kadis).action_correct_letter(
            reason="Salah ketik alamat", passphrase=PASSPHRASE
        )
        new = permohonan.letter_id
        self.assertNotEqual(new, old)
        first, second = self._reported(permohonan).sorted("id")
        self.assertEqual(second.state, "pending", "queued by the correction")
        self._run_outbox()
        self.assertEqual((first.state, second.state), ("done", "done"))
        received = self.fake.calls_of("receiveLicenseStatus")
        self.assertEqual(len(received), 2)
        before, after = (call["body"]["IZINSTATUS"] for call in received)
        self.assertEqual(before["file_lampiran"], f"{old.verify_url}/pdf")
        self.assertEqual(after["file_lampiran"], f"{new.verify_url}/pdf")
        self.assertIn(new.name, after["keterangan"])
        self.assertNotIn(old.name, after["keterangan"])
        self.assertEqual(
            (after["kd_status"], after["nip_status"], after["nama_status"]),
            ("50", "196805121994031005", "Test Kadis"),
        )

    def test_a_delegate_s_signature_is_reported_as_theirs(self):
        secretary = self.env["res.users"].create(
            {
                "name": "Drs. Agus Salim",
                "login": "t_sekdin_oss",
                "ki_nip": "197003031995031002",
                "ki_position": "Sekretaris",
                "groups_id": [(4, self.env.ref("kawasan_industri_verif.group_kadis").id)],
            }
        )
        delegation = self.env["ki.signing.delegation"].create(
            {"kind": "an", "user_id": secretary.id, "date_from": "2020-01-01"}
        )
        permohonan = self._file_in("kadis_review", self._new_file(oss_request_number=ID_IZIN))
        permohonan.with_user(secretary).action_kadis_sign(
            passphrase=PASSPHRASE, delegation_id=delegation.id
        )
        permohonan.with_user(self.sekretariat).action_number_and_publish()
        status = self._reported(permohonan).payload["IZINSTATUS"]
        self.assertEqual(
            (status["nip_status"], status["nama_status"]),
            ("197003031995031002", "Drs. Agus Salim"),
        )

    def test_a_letter_signed_on_paper_is_reported_when_numbered(self):
        self._sign_on_paper()
        permohonan = self._file_in("numbering", self._new_file(oss_request_number=ID_IZIN))
        self.assertFalse(permohonan.sudo().letter_id, "on paper, no letter before step 8")
        self.assertFalse(self._reported(permohonan))
        permohonan.with_user(self.sekretariat).action_number_and_publish(scan=SCAN)
        letter = permohonan.letter_id
        self.assertEqual(letter.signature_mode, "wet")
        status = self._reported(permohonan).payload["IZINSTATUS"]
        self.assertEqual(
            (status["nip_status"], status["nama_status"], status["file_lampiran"]),
            ("196805121994031005", "Test Kadis", f"{letter.verify_url}/pdf"),
        )
        self.assertIn(letter.name, status["keterangan"])

    def test_oss_unknown_permit_request_fails_and_waits_for_the_administrator(self):
        permohonan = self._file_in("numbering", self._new_file(oss_request_number="I-TIDAK-ADA"))
        permohonan.with_user(self.sekretariat).action_number_and_publish()
        self._run_outbox()
        call = permohonan.oss_call_ids.filtered(lambda c: c.method == "receiveLicenseStatus")
        self.assertEqual((call.state, call.last_error_code), ("failed", "400"))
        self.assertIn("permit request", call.last_error)
        self.assertEqual(permohonan.oss_sync_state, "error")
        self.assertEqual(permohonan.state, "delivered", "the file went on regardless")

    def test_letter_pdf_link_given_to_oss(self):
        permohonan = self.signed
        permohonan.with_user(self.sekretariat).action_number_and_publish()
        status = permohonan.oss_call_ids.filtered(lambda c: c.method == "receiveLicenseStatus")
        url = status.payload["IZINSTATUS"]["file_lampiran"]
        self.assertTrue(re.match(r"^https?://.+/ki/verify/[A-Za-z0-9_-]{20,}/pdf$", url))


@tagged("post_install", "-at_install")
class TestOssSettings(OssCase):
    def test_credentials_are_never_shown_again(self):
        admin = self.env.ref("base.user_admin")
        Settings = self.env["res.config.settings"].with_user(admin)
        settings = Settings.create(
            {
                "ki_oss_url": "https://oss.example.go.id/v1/kl/rba",
                "ki_oss_user_key": "kunci-baru-123",
                "ki_oss_basic_user": "gateway",
                "ki_oss_basic_password": "sandi-gateway",
                "ki_oss_kd_izin": "IUKI",
                "ki_oss_kd_instansi": "D33",
            }
        )
        settings.execute()
        self.assertEqual(self.config.user_key, "kunci-baru-123")
        self.assertEqual(self.config.basic_password, "sandi-gateway")
        self.assertEqual(self.config.url, "https://oss.example.go.id/v1/kl/rba")
        self.assertFalse(settings.ki_oss_user_key, "the settings record forgets the key")
        self.assertFalse(settings.ki_oss_basic_password)

        again = Settings.create({})
        self.assertFalse(again.ki_oss_user_key)
        self.assertFalse(again.ki_oss_basic_password)
        self.assertTrue(again.ki_oss_user_key_saved)
        self.assertEqual(again.ki_oss_url, "https://oss.example.go.id/v1/kl/rba")
        again.execute()  # saving without typing keeps the saved key
        self.assertEqual(self.config.user_key, "kunci-baru-123")

        for user in (admin, self.ki_admin, self.sekretariat):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["ki.oss.config"].with_user(user).search([]).read(["user_key"])

    def test_endpoint_url_is_checked(self):
        for url in (
            "ftp://oss.example.go.id",
            "http://oss.example.go.id/v1",
            "https://user:pass@oss.example.go.id/v1",
            "https://oss.example.go.id/v1?user_key=x",
        ):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                self.config.url = url
