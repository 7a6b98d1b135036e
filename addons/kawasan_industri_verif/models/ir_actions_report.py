"""The addon's reports render without Odoo's web assets: the letterhead is in the page body
(Debian's wkhtmltopdf ignores header and footer HTML), the text uses an installed system
font so that it stays extractable and small, and nothing is fetched over the network."""

import functools
import subprocess

from odoo import api, models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin
from odoo.exceptions import UserError

REPORT_PREFIX = "kawasan_industri_verif."
LAYOUT = "kawasan_industri_verif.report_minimal_layout"
# Reports that, once signed, are the stored PDF (ki.permohonan._stored_pdf)
STORED = {
    "kawasan_industri_verif.report_ki_letter": "letter",
    "kawasan_industri_verif.report_ki_berita_acara": "berita_acara",
}
# The reports run no JavaScript: no need to wait for it (Odoo waits 1 s by default).
JAVASCRIPT_DELAY = "0"
# wkhtmltopdf built on an unpatched Qt (Debian's) ignores --zoom and --dpi and prints one CSS
# millimetre as 0.7685 mm; this CSS zoom gives the page its real sizes (12 pt is 12 pt).
UNPATCHED_QT_ZOOM = "1.3013"


@functools.cache
def _wkhtmltopdf_has_patched_qt():
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # no wkhtmltopdf, or a broken one: no correction
    return "patched qt" in version.lower()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _ki_is_own(self):
        return len(self) == 1 and (self.report_name or "").startswith(REPORT_PREFIX)

    @api.model
    def _ki_pdf_body_style(self):
        """Style of the page body in the PDF layout: the zoom that undoes the unpatched
        wkhtmltopdf's shrinking."""
        if _wkhtmltopdf_has_patched_qt():
            return ""
        return f"zoom: {UNPATCHED_QT_ZOOM};"

    def _get_layout(self):
        if self._ki_is_own():
            return self.env.ref(LAYOUT)
        return super()._get_layout()

    def get_paperformat(self):
        """A4 or F4 as the letter settings say, unless the report has its own format."""
        if self._ki_is_own() and not self.paperformat_id:
            return self.env["ki.letter.config"]._get().paperformat_id
        return super().get_paperformat()

    @api.model
    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """A signed letter or Berita Acara is served as the PDF stored with it, found by its
        record; nothing else (an attachment with the same name, a new rendering) stands in
        for it."""
        report = self._get_report(report_ref)
        kind = STORED.get(report.report_name)
        if kind and res_ids:
            files = self.env["ki.permohonan"].browse(res_ids)
            files._check_reachable()
            files._check_printable(kind)
            pdfs = [record._stored_pdf(kind) for record in files.sudo()]
            if any(pdfs):
                if len(files) > 1:
                    raise UserError(
                        self.env._("A signed document is printed alone, exactly as stored.")
                    )
                return pdfs[0].raw, "pdf"
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    @api.model
    def _run_wkhtmltopdf(self, bodies, report_ref=False, header=None, footer=None, **kwargs):
        reports = self
        if report_ref and self._get_report(report_ref)._ki_is_own():
            # the layout has no header or footer, and the unpatched wkhtmltopdf would only
            # warn that it ignores them
            header = footer = None
            reports = self.with_context(ki_own_report=True)
        return super(IrActionsReport, reports)._run_wkhtmltopdf(
            bodies, report_ref=report_ref, header=header, footer=footer, **kwargs
        )

    @api.model
    def _build_wkhtmltopdf_args(self, paperformat_id, landscape, *args, **kwargs):
        command_args = super()._build_wkhtmltopdf_args(paperformat_id, landscape, *args, **kwargs)
        # the request's context may carry anything: it only says whether the report is ours,
        # the value on the command line is always this module's constant
        if self.env.context.get("ki_own_report") and "--javascript-delay" in command_args:
            command_args[command_args.index("--javascript-delay") + 1] = JAVASCRIPT_DELAY
        return command_args
