"""Fixtures of the repository checks that run the scripts against a real database."""

import pytest


@pytest.fixture(scope="session")
def odoo_database(pytestconfig):
    """The database scripts/test installed the addon into, with its demo data (pytest-odoo's
    --odoo-database); these checks are skipped without it (pytest -p no:odoo tests)."""
    database = pytestconfig.getoption("--odoo-database", default=None)
    if not database:
        pytest.skip("needs the test database: run it through scripts/test")
    return database
