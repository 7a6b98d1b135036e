from pathlib import Path

import polib
from odoo.tests import TransactionCase
from odoo.tools.translate import TranslationModuleReader

MODULE = "kawasan_industri_verif"
PO_FILE = Path(__file__).parents[1] / "i18n" / "id.po"


class TestTranslations(TransactionCase):
    def test_every_term_has_an_indonesian_translation(self):
        """Every term Odoo exports for the addon (code, views, data, selections) is
        translated in i18n/id.po, so the office works entirely in Indonesian."""
        po = polib.pofile(str(PO_FILE))
        translated = {entry.msgid for entry in po if entry.msgstr.strip() and not entry.obsolete}
        terms = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in TranslationModuleReader(
                self.env.cr, modules=[MODULE]
            )
            if module == MODULE and source.strip()
        }
        missing = sorted(terms - translated)
        self.assertFalse(missing, "Terms without an Indonesian translation:\n" + "\n".join(missing))

    def test_translations_are_loaded(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["id_ID"], overwrite=True)
        states = dict(
            self.env["ki.permohonan"]
            .with_context(lang="id_ID")
            ._fields["state"]
            ._description_selection(self.env(context={"lang": "id_ID"}))
        )
        self.assertEqual(states["returned"], "Dikembalikan ke Pemohon")
