"""pytest set-up shared by the addon's Odoo tests and the repository checks in tests/."""

import logging


class _DropTestFrameworkImportError(logging.Filter):
    """pytest-odoo imports odoo.tests while loading, before it enables Odoo's test mode
    for each test module, and Odoo logs that import as an ERROR with a stack trace.
    Enabling test mode globally instead would make Odoo run every installed module's
    tests while loading the registry, so only that one message is dropped."""

    def filter(self, record):
        return not record.getMessage().startswith("Importing test framework")


logging.getLogger("odoo.tests.common").addFilter(_DropTestFrameworkImportError())
