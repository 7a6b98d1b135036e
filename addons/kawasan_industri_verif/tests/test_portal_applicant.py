import re

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_portal import KiPortalCase


@tagged("post_install", "-at_install")
class TestPortalApplicant(KiPortalCase):
    """What the walkthrough found missing on the portal: the receipt and its code, what to
    fix first on a returned file, and the Indonesian of the pages and their components."""

    def test_detail_page_gives_the_receipt_and_its_code(self):
        permohonan = self._file_in("submitted")
        self._login(self.applicant)
        page = self.url_open(permohonan.access_url).text
        self.assertIn('id="ki_lookup_code"', page)
        self.assertIn(permohonan.lookup_code, page)
        self.assertIn(f"/my/permohonan/{permohonan.id}/receipt", page)

        response = self.url_open(f"/my/permohonan/{permohonan.id}/receipt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertTrue(response.content)

        # a draft has no receipt yet
        page = self.url_open(self.draft.access_url).text
        self.assertNotIn('id="ki_lookup_code"', page)
        response = self.url_open(f"/my/permohonan/{self.draft.id}/receipt")
        self.assertEqual(response.status_code, 404)

    @mute_logger("odoo.http")
    def test_the_receipt_is_the_applicant_s_only(self):
        permohonan = self._file_in("submitted")
        self._login(self.other_applicant)
        response = self.url_open(f"/my/permohonan/{permohonan.id}/receipt")
        self.assertEqual(response.status_code, 404)
        # a shared link lets its holder read the file, not see the code on the receipt
        self.authenticate(None, None)
        token = permohonan.sudo()._portal_ensure_token()
        page = self.url_open(f"{permohonan.access_url}?access_token={token}").text
        self.assertNotIn(permohonan.lookup_code, page)

    def test_a_returned_file_opens_on_what_to_fix(self):
        permohonan = self._file_in("verification")
        kkpr = permohonan.document_ids.filtered(lambda d: d.document_type_id.code == "KKPR")
        kkpr.with_user(self.verifier).action_mark_invalid(note="Masa berlaku habis")
        self._act(permohonan, "action_return_to_applicant", "verifier", note="KKPR kedaluwarsa")
        self._login(self.applicant)
        form = self.url_open(f"/my/permohonan/{permohonan.id}/edit").text
        fix_first = form.index('id="ki_fix_first"')
        self.assertLess(fix_first, form.index('name="nib"'), "before the application's data")
        key = f"document_{kkpr.document_type_id.id}"
        # the invalid document's upload field is in the section, and only there
        self.assertEqual(form.count(f'name="{key}"'), 1)
        self.assertGreater(form.index(f'name="{key}"'), fix_first)
        self.assertLess(form.index(f'name="{key}"'), form.index('name="nib"'))
        self.assertLess(form.index('name="reply"'), form.index('name="nib"'))
        what_to_fix = form[fix_first : form.index('name="nib"')]
        self.assertIn("KKPR kedaluwarsa", what_to_fix)
        self.assertIn("Masa berlaku habis", what_to_fix)
        # the other documents keep their field in the checklist
        other = permohonan.document_ids - kkpr
        self.assertEqual(form.count(f'name="document_{other[0].document_type_id.id}"'), 1)

    def test_phone_list_and_documents_keep_the_status_in_view(self):
        permohonan = self._file_in("verification")
        self._login(self.applicant)
        page = self.url_open("/my/permohonan").text
        headers = re.findall(r"<th([^>]*)>\s*([^<]+?)\s*</th>", page)
        hidden = {label for attrs, label in headers if "d-none d-md-table-cell" in attrs}
        self.assertEqual(hidden, {"Estate", "Submitted On"})
        page = self.url_open(permohonan.access_url).text
        documents = page[page.index('id="ki_documents"') :]
        headers = re.findall(r"<th([^>]*)>\s*([^<]+?)\s*</th>", documents)
        self.assertIn(("", "Verification"), [(a.strip(), label) for a, label in headers])
        self.assertIn("File", {label for attrs, label in headers if "d-none" in attrs})

    def test_provinces_in_alphabetical_order(self):
        provinces = self.env["ki.permohonan"]._portal_provinces()
        self.assertGreater(len(provinces), 30)
        names = provinces.mapped("name")
        self.assertEqual(names, sorted(names))

    def test_public_pages_and_the_conversation_in_indonesian(self):
        self.authenticate(None, None)
        self.opener.cookies.set("frontend_lang", "id_ID")
        page = self.url_open("/permohonan/status").text
        self.assertIn("Status Permohonan", page)
        self.assertNotIn(">Sign in<", page)
        self.assertIn(">Masuk<", page)

        # the page says its language, so that the conversation's terms are fetched in it
        # (a URL per language), mail's terms among them
        permohonan = self._file_in("submitted")
        self._login(self.applicant)
        self.opener.cookies.set("frontend_lang", "id_ID")
        page = self.url_open(permohonan.access_url).text
        self.assertRegex(page, r'<html[^>]* lang="id-ID"')
        terms = self.url_open("/website/translations/anyhash?lang=id_ID").json()["modules"]
        conversation = {m["id"]: m["string"] for m in terms["mail"]["messages"]}
        self.assertEqual(conversation["The conversation is empty."], "Percakapan kosong.")
