from odoo.exceptions import UserError

from ..models.ki_permohonan import (
    ADMIN_CANCEL_STATES,
    APPLICANT_CANCEL_STATES,
    STATES,
    TRANSITIONS,
)
from .common import KiCase

ROLES = {
    "applicant": "applicant",
    "sekretariat": "sekretariat",
    "kadis": "kadis",
    "kabid": "kabid",
    "tim_teknis": "verifier",
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
ALL_STATES = [state for state, _label in STATES]


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
        if action == "action_cancel":
            return (state in APPLICANT_CANCEL_STATES and user == "applicant") or (
                state in ADMIN_CANCEL_STATES and user == "ki_admin"
            )
        states, role = TRANSITIONS[action]
        return state in states and ROLES[role] == user

    def test_refused_for_every_wrong_role_and_state(self):
        refused = allowed = 0
        for action in [*TRANSITIONS, "action_cancel"]:
            for state, permohonan in self.files.items():
                for user in USERS:
                    if self._allowed(action, state, user):
                        allowed += 1
                        as_user = permohonan.with_user(getattr(self, user))
                        method = "_may_cancel" if action == "action_cancel" else "_may"
                        args = () if action == "action_cancel" else (action,)
                        self.assertTrue(getattr(as_user, method)(*args), (action, state, user))
                        continue
                    before = self._snapshot(permohonan)
                    with self.subTest(action=action, state=state, user=user):
                        with self.assertRaises(UserError):  # AccessError is a UserError
                            self._act(permohonan, action, user)
                        self.assertEqual(self._snapshot(permohonan), before)
                    refused += 1
        cells = sum(len(states) for states, _role in TRANSITIONS.values())
        cancels = len(APPLICANT_CANCEL_STATES) + len(ADMIN_CANCEL_STATES)
        self.assertEqual(allowed, cells + cancels)
        self.assertEqual(refused, (len(TRANSITIONS) + 1) * len(ALL_STATES) * len(USERS) - allowed)

    def test_allowed_transitions_succeed(self):
        # the happy path itself is covered in test_workflow; here each allowed cell of the table
        # is run once from the prepared files, in a savepoint so the files stay as they are
        for action, (states, role) in TRANSITIONS.items():
            for state in states:
                with self.subTest(action=action, state=state):
                    with self.env.cr.savepoint(flush=True) as savepoint:
                        permohonan = self.files[state]
                        self._act(permohonan, action, ROLES[role])
                        self.assertNotEqual(permohonan.state, state)
                        self.env.flush_all()
                        savepoint.rollback()
                    self.env.invalidate_all()
