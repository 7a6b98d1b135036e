from odoo.exceptions import UserError

from ..models.sop import ACTIONS, STATES, TRANSITIONS
from .common import KiCase

# role of the SOP table -> the test user who plays it on the prepared files
ROLES = {
    "applicant": "applicant",
    "sekretariat": "sekretariat",
    "kadis": "kadis",
    "kabid": "kabid",
    "tim_teknis": "verifier",
    "admin": "ki_admin",
}
USERS = [
    "applicant",
    "other_applicant",
    "sekretariat",
    "kadis",
    "kabid",
    "verifier",
    "verifier2",
    "auditor",
    "ki_admin",
]
ALL_STATES = [state.key for state in STATES]


class TestTransitionRules(KiCase):
    """Every transition, in every state, as every user: refused unless the SOP allows it,
    and a refusal leaves the file exactly as it was."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.files = {state: cls._file_in(state) for state in ALL_STATES}

    def _snapshot(self, permohonan):
        permohonan.invalidate_recordset()
        record = permohonan.sudo()
        return (
            record.state,
            record.write_date,
            record.step_ids.ids,
            record.message_ids.ids,
            record.disposisi_ids.ids,
            record.activity_ids.ids,
        )

    def _allowed(self, action, state, user):
        return any(
            row.action == action and state in row.sources and ROLES[row.role] == user
            for row in TRANSITIONS
        )

    def test_refused_for_every_wrong_role_and_state(self):
        refused = allowed = 0
        for action in ACTIONS:
            for state, permohonan in self.files.items():
                for user in USERS:
                    if self._allowed(action, state, user):
                        allowed += 1
                        as_user = permohonan.with_user(getattr(self, user))
                        self.assertTrue(as_user._may(action), (action, state, user))
                        self.assertIn(action, as_user.allowed_actions)
                        continue
                    before = self._snapshot(permohonan)
                    with self.subTest(action=action, state=state, user=user):
                        with self.assertRaises(UserError):  # AccessError is a UserError
                            self._act(permohonan, action, user)
                        self.assertEqual(self._snapshot(permohonan), before)
                    refused += 1
        self.assertEqual(allowed, sum(len(row.sources) for row in TRANSITIONS))
        self.assertEqual(refused, len(ACTIONS) * len(ALL_STATES) * len(USERS) - allowed)

    def test_allowed_transitions_succeed(self):
        # the happy path itself is covered in test_workflow; here each allowed cell of the table
        # is run once from the prepared files, in a savepoint so the files stay as they are
        for row in TRANSITIONS:
            for state in row.sources:
                with self.subTest(action=row.action, state=state, role=row.role):
                    with self.env.cr.savepoint(flush=True) as savepoint:
                        permohonan = self.files[state]
                        self._act(permohonan, row.action, ROLES[row.role])
                        self.assertEqual(permohonan.state, row.target)
                        self.env.flush_all()
                        savepoint.rollback()
                    self.env.invalidate_all()
