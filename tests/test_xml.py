"""Every XML file of the addons is well-formed, and every <record> has an id."""

from pathlib import Path

import pytest
from lxml import etree

ADDONS = Path(__file__).resolve().parents[1] / "addons"
XML_FILES = sorted(ADDONS.rglob("*.xml"))


@pytest.mark.parametrize("path", XML_FILES, ids=[str(p.relative_to(ADDONS)) for p in XML_FILES])
def test_xml(path):
    try:
        tree = etree.parse(str(path))
    except etree.XMLSyntaxError as error:
        pytest.fail(f"{path.relative_to(ADDONS)}: {error}")
    without_id = [rec.sourceline for rec in tree.iter("record") if not rec.get("id")]
    assert not without_id, f"<record> without id on lines {without_id}"
