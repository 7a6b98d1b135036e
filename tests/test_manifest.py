"""The addon's manifest: Odoo 18 version, licence, dependencies, and no missing files."""

import ast
import re
from pathlib import Path

import pytest

ADDONS = Path(__file__).resolve().parents[1] / "addons"
ADDON = ADDONS / "kawasan_industri_verif"
MANIFEST = ADDON / "__manifest__.py"


@pytest.fixture(scope="module")
def manifest():
    assert MANIFEST.is_file(), f"{MANIFEST} is missing"
    return ast.literal_eval(MANIFEST.read_text(encoding="utf-8"))


def test_version_is_for_odoo_18(manifest):
    # 18.0.x.y.z: Odoo's series, then major, minor (an upgrade with -u), patch
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest["version"]), manifest["version"]


def test_license(manifest):
    assert manifest["license"] == "LGPL-3"


def test_depends_on_portal_and_mail(manifest):
    assert {"portal", "mail"} <= set(manifest.get("depends", []))


@pytest.mark.parametrize("key", ["data", "demo"])
def test_data_files_exist(manifest, key):
    missing = [name for name in manifest.get(key, []) if not (ADDON / name).is_file()]
    assert not missing, f"files listed in '{key}' but missing: {missing}"


def _asset_paths(entry):
    """The file path (or glob) of one entry of an assets bundle, None for includes."""
    if isinstance(entry, str):
        return entry
    operation = entry[0]
    if operation == "include":
        return None
    if operation in ("after", "before", "replace"):
        return entry[2]
    return entry[1]  # prepend, append, remove


def test_asset_files_exist(manifest):
    missing = []
    for bundle, entries in manifest.get("assets", {}).items():
        for entry in entries:
            path = _asset_paths(entry)
            # Only this addon's own files; other addons' assets live in the Odoo tree.
            if path and path.startswith(f"{ADDON.name}/") and not list(ADDONS.glob(path)):
                missing.append(f"{bundle}: {path}")
    assert not missing, f"asset paths matching no file: {missing}"
