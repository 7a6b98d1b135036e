from lxml import etree
from odoo import models
from odoo.tools.safe_eval import safe_eval

from .common import KiCase

XMLID = "kawasan_industri_verif."
# text inputs that a dialog must show before they are filled (Odoo's own o_field_highlight)
TEXT_TYPES = ("char", "text")


class TestOfficePath(KiCase):
    """What an officer meets on the way to their step's button: their task list as home, a
    return's note on top of the file, readable names, visible fields in the dialogs, and no
    countdown for the applicant's own steps."""

    def test_the_home_is_the_task_list(self):
        root = self.env.ref(XMLID + "menu_ki_root")
        home = self.env.ref(XMLID + "ki_action_home")
        self.assertEqual(root.action, home)
        my_tasks = self.env.ref(XMLID + "ki_permohonan_action_my")
        everything = self.env.ref(XMLID + "ki_permohonan_action")
        for user, action in (
            (self.sekretariat, my_tasks),
            (self.kadis, my_tasks),
            (self.kabid, my_tasks),
            (self.verifier, my_tasks),
            (self.auditor, everything),
            (self.ki_admin, everything),
        ):
            with self.subTest(user=user.login):
                result = home.with_user(user).run()
                self.assertEqual(result["id"], action.id)
        for login in ("sekretariat", "kadis", "kabid", "timteknis", "timteknis2", "auditor"):
            with self.subTest(demo_user=login):
                demo_user = self.env.ref(f"{XMLID}user_{login}")
                self.assertEqual(demo_user.action_id.id, home.id)

    def test_my_tasks_shows_the_whole_registration_number(self):
        action = self.env.ref(XMLID + "ki_permohonan_action_my")
        arch = etree.fromstring(action.view_id.arch)
        name = arch.find("field[@name='name']")
        self.assertEqual(action.view_id.type, "list")
        self.assertTrue(name.get("width"), "the number keeps its width")
        self.assertEqual(safe_eval(action.context)["search_default_my_tasks"], 1)

    def test_a_return_shows_its_note_on_top_of_the_file(self):
        permohonan = self._file_in("kabid_review")
        self.assertFalse(permohonan.with_user(self.kabid).handover_banner)
        self._act(permohonan, "action_kabid_return", "kabid", note="Lengkapi pertimbangan")
        banner = permohonan.with_user(self.verifier).handover_banner
        self.assertIn("Lengkapi pertimbangan", banner)
        self.assertIn(self.kabid.name, banner)
        # once the team sends it on, the banner is gone
        self._act(permohonan, "action_submit_draft", "verifier")
        self.assertFalse(permohonan.with_user(self.kabid).handover_banner)

        returned = self._file_in("returned")
        self.assertIn("KKPR kedaluwarsa", returned.with_user(self.verifier).handover_banner)
        self._act(returned, "action_submit", "applicant", note="Sudah kami ganti")
        self.assertIn("Sudah kami ganti", returned.with_user(self.verifier).handover_banner)
        form = self.env.ref(XMLID + "ki_permohonan_view_form_office")
        self.assertIn("handover_banner", form.arch)

    def test_no_countdown_for_the_applicant_s_steps(self):
        for state, office in (
            ("submitted", True),
            ("verification", True),
            ("returned", False),
            ("delivered", False),
        ):
            with self.subTest(state=state):
                permohonan = self._file_in(state).with_user(self.kadis)
                self.assertEqual(permohonan.sla_is_office, office)
        for view in ("ki_permohonan_view_form", "ki_permohonan_view_list_sla"):
            with self.subTest(view=view):
                combined = self.env.ref(XMLID + view)
                model_view = self.env["ki.permohonan"]._get_view(combined.id, combined.type)
                label = model_view[0].xpath("//field[@name='sla_label']")[0]
                self.assertIn("sla_is_office", label.get("invisible"))

    def test_records_have_readable_names(self):
        """No record of the addon is shown as "ki.model,42" or by a raw state key."""
        checked = 0
        for name, model in self.env.registry.items():
            if not name.startswith("ki.") or model._abstract or model._transient:
                continue
            if not self.env["ir.ui.view"].search_count([("model", "=", name)]):
                continue  # never shown (e.g. the public pages' request counters)
            record = self.env[name].sudo().search([], limit=1)
            if not record:
                continue
            with self.subTest(model=name):
                self.assertNotEqual(record.display_name, f"{name},{record.id}")
                rec_field = model._fields.get(model._rec_name or "")
                overridden = (
                    type(record)._compute_display_name is not models.Model._compute_display_name
                )
                self.assertTrue(overridden or (rec_field and rec_field.type != "selection"))
            checked += 1
        self.assertGreater(checked, 10)

        permohonan = self._file_in("verification")
        step = permohonan.step_ids.sorted("id")[-1]
        self.assertEqual(step.display_name, f"{permohonan.name}: Technical Verification")
        disposition = permohonan.disposisi_ids.sorted("id")[-1]
        self.assertIn(permohonan.name, disposition.display_name)
        self.assertIn(self.verifier.name, disposition.display_name)
        report = self.env["ki.sla.report"].with_user(self.kadis).create({})
        self.assertNotIn("ki.sla.report", report.display_name)
        self.assertIn("SLA", report.display_name)
        document = permohonan.document_ids[:1]
        self.assertIn(document.document_type_id.name, document.display_name)

    def test_dialog_fields_are_visible_before_they_are_filled(self):
        """Every text field a dialog asks for shows its box (o_field_highlight)."""
        forms = self.env["ir.ui.view"].search(
            [("type", "=", "form"), ("inherit_id", "=", False), ("model", "=like", "ki.%")]
        )
        dialogs = forms.filtered(lambda v: self.env[v.model]._transient)
        self.assertGreaterEqual(len(dialogs), 3)
        for view in dialogs:
            Model = self.env[view.model]
            arch = Model._get_view(view.id, "form")[0]
            for node in arch.iter("field"):
                field = Model._fields.get(node.get("name"))
                hidden = node.get("invisible") in ("1", "True") or node.get("readonly") == "1"
                if field is None or field.type not in TEXT_TYPES or hidden or field.readonly:
                    continue
                if field.compute or node.getparent().tag == "list":
                    continue
                with self.subTest(view=view.xml_id, field=field.name):
                    self.assertIn("o_field_highlight", node.get("class", ""))

    def test_every_step_dialog_has_its_title(self):
        permohonan = self._file_in("kadis_disposition")
        action = (
            permohonan.with_user(self.kadis)
            .with_context(ki_action="action_dispose_to_kabid")
            .action_open_transition_wizard()
        )
        self.assertEqual(action["name"], "Dispose to Division Head")
        actions = self.env["ir.actions.act_window"].search(
            [("res_model", "=like", "ki.%"), ("target", "=", "new")]
        )
        for act in actions:
            with self.subTest(action=act.xml_id):
                self.assertTrue(act.name)

    def test_the_kadis_urgency_goes_down_to_the_kabid(self):
        permohonan = self._file_in("kadis_disposition")
        self._act(permohonan, "action_dispose_to_kabid", "kadis")  # urgency "segera"
        defaults = (
            self.env["ki.transition.wizard"]
            .with_user(self.kabid)
            .with_context(
                default_permohonan_id=permohonan.id, default_action="action_dispose_to_team"
            )
            .default_get(["permohonan_id", "action", "urgency", "recipient_ids"])
        )
        self.assertEqual(defaults["urgency"], "segera")

    def test_activities_are_in_the_language_of_their_officer(self):
        self.kadis.lang = "id_ID"
        permohonan = self._file_in("submitted")
        self._act(permohonan, "action_receive", "sekretariat")  # an English-speaking officer
        activity = permohonan.sudo().activity_ids.filtered(lambda a: a.user_id == self.kadis)
        activity_type = self.env.ref(XMLID + "mail_act_ki_kadis_disposition")
        self.assertEqual(activity.summary, activity_type.with_context(lang="id_ID").summary)
        self.assertNotEqual(activity.summary, activity_type.with_context(lang="en_US").summary)

    def test_sla_report_period_ends_with_until(self):
        field = self.env["ki.sla.report"]._fields["date_to"]
        self.assertEqual(field.string, "Until")
        self.assertEqual(field._description_string(self.env(context={"lang": "id_ID"})), "s.d.")
