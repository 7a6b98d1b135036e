"""The SOP table (models/sop.py) against the SOP as the office wrote it, and against the data
and views that must follow it."""

from lxml import etree
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.sop import (
    ACTIONS,
    APPLICANT,
    KABID,
    KADIS,
    ROLE_GROUPS,
    SEKRETARIAT,
    STATE,
    STATES,
    STEP_TITLES,
    SUPERIORS,
    TIM_TEKNIS,
    TRANSITIONS,
)
from ..wizards.ki_transition_wizard import WIZARD_ACTIONS

# The SOP "Verifikasi Teknis Izin Usaha Kawasan Industri": step -> (who acts, Mutu Baku
# Waktu in the unit the SOP writes).
SEED = {
    1: (APPLICANT, None),
    2: (SEKRETARIAT, (60, "minutes")),
    3: (KADIS, (10, "minutes")),
    4: (KABID, (60, "minutes")),
    5: (TIM_TEKNIS, (2, "working_days")),
    6: (KABID, (240, "minutes")),
    7: (KADIS, (240, "minutes")),
    8: (SEKRETARIAT, (10, "minutes")),
    9: (APPLICANT, (60, "minutes")),
}
# The SOP's three loops: (from, to), each by a return that needs a reason.
LOOPS = {
    ("verification", "returned"),  # step 5: documents incomplete, back to the applicant
    ("kabid_review", "verification"),  # step 6: the Kabid returns the draft
    ("kadis_review", "kabid_review"),  # step 7: the Kadis returns the draft
}


@tagged("post_install", "-at_install")
class TestSopTable(TransactionCase):
    def test_nine_steps_with_the_seed_roles_and_standards(self):
        self.assertEqual(list(STEP_TITLES), list(range(1, 10)))
        self.assertEqual({state.step for state in STATES if state.step}, set(SEED))
        for state in STATES:
            if not state.step or state.key == "returned":  # a loop inside step 5
                continue
            role, standard = SEED[state.step]
            with self.subTest(step=state.step):
                self.assertEqual(state.role, role)
                sop_step = self.env["ki.sop.step"].search([("code", "=", state.key)])
                if standard:
                    self.assertEqual((sop_step.sla_amount, sop_step.sla_unit), standard)
                    self.assertEqual(sop_step.step, state.step)
                else:
                    self.assertFalse(sop_step.sla_amount)

    def test_the_three_loops_need_a_reason(self):
        returns = {
            (source, row.target): row
            for row in TRANSITIONS
            for source in row.sources
            if row.outcome == "returned"
        }
        self.assertEqual(set(returns), LOOPS)
        self.assertTrue(all(row.note_required for row in returns.values()))
        # the applicant's answer goes back to the same step 5
        resubmit = [row for row in TRANSITIONS if row.outcome == "resubmitted"]
        self.assertEqual(
            [(row.sources, row.target) for row in resubmit], [(("returned",), "verification")]
        )

    def test_every_row_is_consistent(self):
        for row in TRANSITIONS:
            with self.subTest(action=row.action, role=row.role):
                self.assertIn(row.target, STATE)
                self.assertTrue(set(row.sources) <= set(STATE))
                self.assertTrue(hasattr(self.env["ki.permohonan"], row.action))
                # a state's transitions are its holder's, except the cancellation
                if row.action != "action_cancel":
                    self.assertTrue(all(STATE[s].role == row.role for s in row.sources))

    def test_data_follows_the_table(self):
        for state in STATES:
            with self.subTest(state=state.key):
                if state.activity:
                    activity_type = self.env.ref(state.activity)
                    self.assertEqual(activity_type.res_model, "ki.permohonan")
                if state.mail:
                    self.assertEqual(self.env.ref(state.mail).model, "ki.permohonan")
                office_role = state.role not in (None, APPLICANT)
                self.assertEqual(bool(state.activity), office_role)
                if office_role:
                    self.assertIn(state.role, SUPERIORS, "a late step has someone to go to")

    def test_every_office_action_has_its_button_and_every_button_its_action(self):
        """Each header button of the form runs an action of the table, is shown exactly
        when the action is allowed, carries the table's label and the groups of the roles
        that may run it; each action of an office role has such a button."""
        arch = etree.fromstring(self.env.ref("kawasan_industri_verif.ki_permohonan_view_form").arch)
        labels = {row.action: row.label for row in TRANSITIONS}
        buttons = {}
        for button in arch.iterfind("header/button"):
            action = button.get("name")
            if action == "action_open_transition_wizard":
                action = safe_eval(button.get("context"))["ki_action"]
            with self.subTest(button=button.get("string")):
                self.assertIn(action, ACTIONS)
                self.assertNotIn(action, buttons, "one button per action")
                self.assertEqual(button.get("string"), labels[action])
                self.assertEqual(button.get("invisible"), f"'{action}' not in allowed_actions")
                roles = {row.role for row in TRANSITIONS if row.action == action} - {APPLICANT}
                self.assertEqual(
                    set(button.get("groups").split(",")), {ROLE_GROUPS[r] for r in roles}
                )
            buttons[action] = button
        office_actions = {row.action for row in TRANSITIONS if row.role != APPLICANT}
        self.assertEqual(set(buttons), office_actions)

    def test_the_wizard_asks_what_the_table_says(self):
        asking = {row.action for row in TRANSITIONS if row.inputs or row.note_required}
        self.assertEqual({action for action, _label in WIZARD_ACTIONS}, asking)
        arch = etree.fromstring(self.env.ref("kawasan_industri_verif.ki_permohonan_view_form").arch)
        for button in arch.iterfind("header/button"):
            action = safe_eval(button.get("context") or "{}").get("ki_action", button.get("name"))
            with self.subTest(action=action):
                # a transition that asks opens the wizard; the others act at once
                opens_wizard = button.get("name") == "action_open_transition_wizard"
                self.assertEqual(opens_wizard, action in asking)
