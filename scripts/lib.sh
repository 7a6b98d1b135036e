# shellcheck shell=bash
# Shared set-up for scripts/serve and scripts/test. Source it, then call ki_setup.
#
# ki_setup makes everything Odoo needs exist, and is cheap when it already does:
#   - Debian packages (checked with dpkg-query, installed only when missing),
#   - the virtualenv .venv with Odoo's and this project's Python requirements,
#   - a PostgreSQL server (the one you configured, or a private cluster in .local/pg),
#   - the Odoo configuration .local/odoo.conf.
set -euo pipefail

KI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KI_LOCAL="$KI_ROOT/.local"
KI_VENV="$KI_ROOT/.venv"
KI_CONF="$KI_LOCAL/odoo.conf"
KI_ADDON="kawasan_industri_verif"
ODOO_PATH="${ODOO_PATH:-/opt/odoo}"
KI_HTTP_PORT="${KI_HTTP_PORT:-8069}"
KI_PG_PORT="${KI_PG_PORT:-55432}"

# The one command that fetches the Odoo 18.0 Community tree (README, first screen).
KI_ODOO_GET="git clone --depth 1 -b 18.0 https://github.com/odoo/odoo.git"

# Fail before anything gets installed: without the Odoo source tree nothing below is useful.
if [[ ! -f "$ODOO_PATH/odoo-bin" ]]; then
    echo "Odoo 18.0 not found at ODOO_PATH=$ODOO_PATH: get it with \`$KI_ODOO_GET $ODOO_PATH\` or set ODOO_PATH to an Odoo 18.0 Community source tree." >&2
    exit 1
fi
if ! grep -q '^version_info = (18, 0,' "$ODOO_PATH/odoo/release.py" 2>/dev/null; then
    echo "The Odoo tree at $ODOO_PATH is not Odoo 18.0: point ODOO_PATH at an Odoo 18.0 Community source tree." >&2
    exit 1
fi

ki_log() { echo "==> $*" >&2; }
ki_die() { echo "error: $*" >&2; exit 1; }

# --- Debian packages ------------------------------------------------------------
# Build headers for the Python requirements that have no wheel (psycopg2, python-ldap),
# the database server, what Odoo uses to render PDF reports and run browser tests, and
# the HTTPS front of production mode (nginx, openssl for the self-signed certificate).
KI_DEBS=(
    build-essential python3-dev python3-venv
    libpq-dev libldap2-dev libsasl2-dev
    postgresql
    wkhtmltopdf poppler-utils fonts-dejavu-core fonts-liberation
    chromium
    nginx openssl
)

ki_ensure_debs() {
    local missing=() pkg
    for pkg in "${KI_DEBS[@]}"; do
        # dpkg-query is instant, so a second run never touches apt.
        if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
            missing+=("$pkg")
        fi
    done
    ((${#missing[@]} == 0)) && return 0
    if [[ "$(id -u)" != 0 ]]; then
        ki_die "missing Debian packages; install them with: sudo apt-get install -y ${missing[*]}"
    fi
    ki_log "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

# --- Python virtualenv ------------------------------------------------------------
ki_requirements_hash() {
    cat "$ODOO_PATH/requirements.txt" "$KI_ROOT/requirements.txt" "$KI_ROOT/requirements-dev.txt" \
        "$KI_ROOT/scripts/build-constraints.txt" | sha256sum | cut -d' ' -f1
}

ki_ensure_venv() {
    local stamp="$KI_VENV/.requirements.sha256" hash
    # Debian's Python 3.11 is the one Odoo 18's pinned requirements are written for.
    if ! "$KI_VENV/bin/python" -c '' 2>/dev/null; then
        ki_log "Creating the virtualenv .venv"
        rm -rf "$KI_VENV"
        /usr/bin/python3 -m venv "$KI_VENV"
    fi
    hash="$(ki_requirements_hash)"
    if [[ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]]; then
        ki_log "Installing Python requirements into .venv (the first time takes a few minutes)"
        # Every source package is built in pip's isolated build environment, which
        # PIP_CONSTRAINT also reaches: cbor2 5.4.2 (pinned by Odoo) does not build with
        # setuptools 81 or later.
        PIP_CONSTRAINT="$KI_ROOT/scripts/build-constraints.txt" \
            "$KI_VENV/bin/pip" install -q --disable-pip-version-check --use-pep517 \
            -r "$ODOO_PATH/requirements.txt" -r "$KI_ROOT/requirements.txt" \
            -r "$KI_ROOT/requirements-dev.txt"
        echo "$hash" >"$stamp"
    fi
    # Odoo restarts itself (SIGHUP, a module installed from Apps, a worker past its time
    # limit) by executing the interpreter's base name, `python`, which the PATH resolves:
    # it must find the virtualenv's, or the restarted server runs without its packages.
    case ":$PATH:" in
    *":$KI_VENV/bin:"*) ;;
    *) export PATH="$KI_VENV/bin:$PATH" ;;
    esac
    # Make `import odoo` work in the venv (pytest-odoo imports it when pytest starts)
    # without installing or modifying the Odoo tree; rewritten so ODOO_PATH can change.
    local site
    site="$(echo "$KI_VENV"/lib/python3*/site-packages)"
    [[ "$(cat "$site/odoo-path.pth" 2>/dev/null)" == "$ODOO_PATH" ]] ||
        echo "$ODOO_PATH" >"$site/odoo-path.pth"
}

# --- PostgreSQL -----------------------------------------------------------------
# Either a server you configured (PGHOST or KI_DB_HOST), or a private cluster in
# .local/pg that listens only on its own unix socket and on 127.0.0.1:KI_PG_PORT.
ki_pg_use_dir() {
    KI_PG_DIR="$1"
    KI_PG_DATA="$KI_PG_DIR/data"
    KI_PG_RUN="$KI_PG_DIR/run"
    KI_PG_LOG="$KI_PG_DIR/postgresql.log"
}
ki_pg_use_dir "$KI_LOCAL/pg"
KI_PG_STARTED=0 # 1 once this process started the private cluster (ki_stop_cluster undoes it)

ki_pg_bin() {
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
    [[ -n "$bin" ]] || ki_die "PostgreSQL server binaries not found under /usr/lib/postgresql"
    echo "$bin"
}

# Run a PostgreSQL server command as the cluster owner: the server refuses to run as root.
ki_as_pg() {
    if [[ "$(id -u)" == 0 ]]; then
        (cd "$KI_PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$KI_PG_DIR" && "$@")
    fi
}

ki_private_cluster() {
    local bin port
    bin="$(ki_pg_bin)"
    mkdir -p "$KI_PG_DIR"
    if [[ "$(id -u)" == 0 ]]; then
        chown postgres: "$KI_PG_DIR"
        if ! runuser -u postgres -- test -w "$KI_PG_DIR"; then
            # The clone sits where the postgres user cannot go (under /root, say): keep this
            # clone's cluster in the postgres user's own home instead, one per clone path.
            ki_pg_use_dir "/var/lib/postgresql/ki-$(echo -n "$KI_ROOT" | sha256sum | cut -c1-12)"
            install -d -o postgres -g postgres -m 700 "$KI_PG_DIR"
            ki_log "The postgres user cannot reach .local/pg; the private cluster is in $KI_PG_DIR"
        fi
    fi
    # Unix socket paths are limited to 107 bytes.
    ((${#KI_PG_RUN} + 20 < 107)) ||
        ki_die "the path $KI_PG_RUN is too long for a unix socket: move the repository or set PGHOST"
    if [[ ! -f "$KI_PG_DATA/PG_VERSION" ]]; then
        ki_log "Creating a private PostgreSQL cluster in $KI_PG_DIR"
        ki_as_pg mkdir -p "$KI_PG_RUN"
        # trust on the private socket (only this machine's users reach it), passwords on TCP.
        ki_as_pg "$bin/initdb" -D "$KI_PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    fi
    if ki_as_pg "$bin/pg_ctl" status -D "$KI_PG_DATA" >/dev/null 2>&1; then
        # Already running (another scripts/serve or scripts/test): reuse it, on its own port.
        port="$(sed -n 4p "$KI_PG_DATA/postmaster.pid")"
    else
        port="$KI_PG_PORT"
        ki_log "Starting PostgreSQL on 127.0.0.1:$port and $KI_PG_RUN"
        if ! ki_as_pg "$bin/pg_ctl" start -D "$KI_PG_DATA" -l "$KI_PG_LOG" -w -t 60 \
            -o "-p $port -k $KI_PG_RUN -c listen_addresses=127.0.0.1" >/dev/null; then
            tail -n 20 "$KI_PG_LOG" >&2 || true
            ki_die "PostgreSQL did not start (is port $port taken? set KI_PG_PORT)"
        fi
        KI_PG_STARTED=1
    fi
    KI_DB_HOST_EFF="$KI_PG_RUN" KI_DB_PORT_EFF="$port" KI_DB_USER_EFF=odoo KI_DB_PASSWORD_EFF=odoo
    # Odoo refuses to run as the superuser `postgres`, so it gets its own role.
    if [[ "$(ki_psql_as postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'odoo'")" != 1 ]]; then
        ki_psql_as postgres -c "CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'" >/dev/null
    fi
}

# Silent, so that pytest's summary stays the last line of scripts/test.
ki_stop_cluster() {
    if [[ "$KI_PG_STARTED" == 1 ]]; then
        ki_as_pg "$(ki_pg_bin)/pg_ctl" stop -D "$KI_PG_DATA" -m fast -w >/dev/null || true
        KI_PG_STARTED=0
    fi
}

ki_ensure_db_server() {
    if [[ -n "${KI_DB_HOST:-}" || -n "${PGHOST:-}" ]]; then
        KI_DB_HOST_EFF="${KI_DB_HOST:-$PGHOST}"
        KI_DB_PORT_EFF="${KI_DB_PORT:-${PGPORT:-5432}}"
        KI_DB_USER_EFF="${KI_DB_USER:-${PGUSER:-odoo}}"
        KI_DB_PASSWORD_EFF="${KI_DB_PASSWORD:-${PGPASSWORD:-}}"
    else
        ki_private_cluster
    fi
}

# psql on the maintenance database, as ROLE (defaults to Odoo's database user).
ki_psql_as() {
    local role="$1"
    shift
    PGHOST="$KI_DB_HOST_EFF" PGPORT="$KI_DB_PORT_EFF" PGUSER="$role" \
        PGPASSWORD="$KI_DB_PASSWORD_EFF" PGDATABASE=postgres PGOPTIONS="-c client_min_messages=warning" \
        psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"
}
ki_psql() { ki_psql_as "$KI_DB_USER_EFF" "$@"; }

ki_db_exists() {
    [[ "$(ki_psql -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" == 1 ]]
}

# Create DATABASE with the addon and its demo data, unless it exists.
ki_ensure_demo_db() {
    ki_db_exists "$1" && return 0
    ki_log "Creating database $1 with $KI_ADDON and demo data (about a minute)"
    ki_odoo -d "$1" -i "$KI_ADDON" --stop-after-init --no-http
    # base's data already gives admin the password "admin"; set it anyway so the README's
    # table of logins stays true whatever the demo data does.
    echo "env.ref('base.user_admin').password = 'admin'; env.cr.commit()" |
        ki_odoo shell -d "$1" --no-http --log-level=warn >/dev/null
}

ki_drop_db() {
    ki_psql -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
    rm -rf "$KI_LOCAL/data/filestore/$1"
}

# --- Odoo ---------------------------------------------------------------------------
ki_write_config() {
    mkdir -p "$KI_LOCAL/data"
    # wkhtmltopdf (Qt) wants a private runtime folder and warns on every PDF without one.
    export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$KI_LOCAL/xdg}"
    mkdir -p -m 700 "$XDG_RUNTIME_DIR"
    cat >"$KI_CONF" <<EOF
; Generated by scripts/lib.sh on every run: edit the script or its environment variables.
[options]
addons_path = $ODOO_PATH/addons,$KI_ROOT/addons
data_dir = $KI_LOCAL/data
db_host = $KI_DB_HOST_EFF
db_port = $KI_DB_PORT_EFF
db_user = $KI_DB_USER_EFF
db_password = ${KI_DB_PASSWORD_EFF:-False}
http_interface = 127.0.0.1
http_port = $KI_HTTP_PORT
list_db = False
log_level = info
EOF
}

# Sets KI_ODOO_CMD to an odoo-bin command line: ODOO_PATH's odoo-bin run by the venv's
# Python with the generated configuration, then the given arguments.
ki_odoo_cmd() {
    KI_ODOO_CMD=("$KI_VENV/bin/python" "$ODOO_PATH/odoo-bin")
    # A subcommand (shell, ...) must come first on odoo-bin's command line.
    if (($#)) && [[ "$1" != -* ]]; then
        KI_ODOO_CMD+=("$1")
        shift
    fi
    KI_ODOO_CMD+=(-c "$KI_CONF" "$@")
}

ki_odoo() {
    ki_odoo_cmd "$@"
    "${KI_ODOO_CMD[@]}"
}

ki_setup() {
    ki_ensure_debs
    ki_ensure_venv
    ki_ensure_db_server
    ki_write_config
}
