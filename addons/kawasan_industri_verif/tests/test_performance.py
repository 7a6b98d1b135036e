from odoo.tests import tagged

from .common import PDF, KiCase

# A sanity bound: what matters here is that the cost stays flat. The heaviest transitions
# render and store a PDF (the draft its Berita Acara, the signature the letter).
MAX_QUERIES = 160


@tagged("is_query_count", "post_install", "-at_install")
class TestTransitionCost(KiCase):
    """A transition costs the same with 1 or 50 documents and with few or 30 earlier steps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.extra_types = cls.env["ki.document.type"].create(
            [{"name": f"Lampiran {i}", "code": f"EXTRA{i}", "required": False} for i in range(49)]
        )

    def _count(self, permohonan, action, role):
        """Queries of one transition, tracking and other pre-commit work included."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self._act(permohonan, action, role)
        self.env.flush_all()
        self.env.cr.flush()
        return self.cr.sql_log_count - before

    def _big_file(self, state):
        permohonan = self._new_file()
        for doc_type in self.extra_types:
            permohonan.action_upload_document(doc_type.id, "lampiran.pdf", PDF)
        return self._file_in(state, permohonan)

    def _with_history(self, permohonan, loops=15):
        """Go round the Division Head's loop: two more step records per round."""
        for _round in range(loops):
            self._act(permohonan, "action_kabid_return", "kabid")
            self._act(permohonan, "action_submit_draft", "verifier")
        return permohonan

    def _assert_flat(self, state, action, role, big, prepare=lambda permohonan: permohonan):
        # the first run fills Odoo's caches (xml ids, groups, date ranges): not counted
        self._count(prepare(self._file_in(state)), action, role)
        small_count = self._count(prepare(self._file_in(state)), action, role)
        self.assertLess(small_count, MAX_QUERIES, action)
        prepare(big)
        self.env.invalidate_all()
        with self.assertQueryCount(small_count):
            self._act(big, action, role)

    def test_submit_with_many_documents(self):
        big = self._big_file("draft")
        self.assertGreaterEqual(len(big.document_ids), 50)
        self._assert_flat("draft", "action_submit", "applicant", big)

    def test_receive_with_many_documents(self):
        self._assert_flat("submitted", "action_receive", "sekretariat", self._big_file("submitted"))

    def test_dispose_with_many_documents(self):
        big = self._big_file("kabid_disposition")
        self._assert_flat("kabid_disposition", "action_dispose_to_team", "kabid", big)

    def test_draft_with_many_documents(self):
        """The draft freezes the Berita Acara, which lists every document version."""

        def checked(permohonan):
            permohonan.with_user(self.verifier).action_mark_documents_valid()
            return permohonan

        big = self._big_file("verification")
        self._assert_flat("verification", "action_submit_draft", "verifier", big, checked)

    def test_review_with_many_earlier_steps(self):
        big = self._with_history(self._big_file("kabid_review"))
        self.assertGreaterEqual(len(big.step_ids), 30)
        self._assert_flat("kabid_review", "action_kabid_approve", "kabid", big)

    def test_sign_and_publish_with_many_earlier_steps(self):
        big = self._with_history(self._file_in("kabid_review"))
        self._act(big, "action_kabid_approve", "kabid")
        self._assert_flat("kadis_review", "action_kadis_sign", "kadis", big)
        self._assert_flat("numbering", "action_number_and_publish", "sekretariat", big)
