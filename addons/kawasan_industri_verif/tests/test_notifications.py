from .common import HAPPY_PATH, KiCase

APPLICANT_MAIL = "kawasan_industri_verif.mt_ki_applicant_mail"


class TestNotifications(KiCase):
    """The applicant's mails reach the applicant only; the officers who follow a file get
    the office's own messages (the hand-over of each transition), never a copy of them."""

    def _notified(self, message):
        return message.sudo().notification_ids.res_partner_id

    def _applicant_mails(self, permohonan):
        subtype = self.env.ref(APPLICANT_MAIL)
        return permohonan.sudo().message_ids.filtered(lambda m: m.subtype_id == subtype)

    def test_applicant_mails_go_to_the_applicant_only(self):
        permohonan = self._new_file()
        self._walk(permohonan, HAPPY_PATH[:4])
        self._act(permohonan, "action_return_to_applicant", "verifier", note="Ganti KKPR")
        self._act(permohonan, "action_submit", "applicant")
        self._walk(permohonan, HAPPY_PATH[4:8])
        self.assertEqual(permohonan.state, "delivered")

        followers = permohonan.sudo().message_partner_ids
        officers = (self.sekretariat | self.kadis | self.kabid | self.verifier).partner_id
        self.assertEqual(followers & officers, officers, "the officers follow the file")

        mails = self._applicant_mails(permohonan)
        # submitted, returned, published
        self.assertEqual(len(mails), 3)
        for mail in mails:
            with self.subTest(subject=mail.subject):
                self.assertEqual(self._notified(mail), self.applicant.partner_id)
                self.assertFalse(mail.subtype_id.internal, "the applicant reads it on the portal")

        # the hand-over notes reach the officers who take the file over
        receive_note = permohonan.sudo().message_ids.filtered(
            lambda m: (
                m.subtype_id == self.env.ref("mail.mt_note")
                and self.kadis.partner_id in m.partner_ids
            )
        )
        self.assertTrue(receive_note)
        self.assertIn(self.kadis.partner_id, self._notified(receive_note[-1]))

    def test_no_officer_follows_the_applicant_s_mails(self):
        subtype = self.env.ref(APPLICANT_MAIL)
        self.assertFalse(subtype.default, "followers do not get it unless addressed")
        permohonan = self._file_in("verification")
        officers = (self.sekretariat | self.kadis | self.kabid | self.verifier).partner_id
        followers = permohonan.sudo().message_follower_ids.filtered(
            lambda f: f.partner_id in officers
        )
        self.assertTrue(followers)
        self.assertFalse(followers.subtype_ids & subtype)
