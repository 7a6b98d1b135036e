"""Fixtures of the repository checks that run the scripts against a real database."""

import pytest
from ki_helpers import run_script


@pytest.fixture(scope="session")
def odoo_database(pytestconfig):
    """The database scripts/test installed the addon into, with its demo data (pytest-odoo's
    --odoo-database); these checks are skipped without it (pytest -p no:odoo tests)."""
    database = pytestconfig.getoption("--odoo-database", default=None)
    if not database:
        pytest.skip("needs the test database: run it through scripts/test")
    return database


@pytest.fixture(scope="session")
def demo_backup(odoo_database, tmp_path_factory):
    """A backup archive of the test database (the addon with its demo data), made once."""
    archive = tmp_path_factory.mktemp("backup") / "demo.tar"
    run_script("backup", odoo_database, archive)
    return archive
