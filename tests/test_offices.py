"""Several offices on one platform: one database per office, chosen by the host name
(dbfilter ^ki_%d$: https://bekasi.example.go.id serves the database ki_bekasi). Two demo
offices on two host names, served by the same Odoo: each sees only its own applications,
letterhead, numbering and working-time calendar."""

import datetime
import os
import re
import signal
import subprocess

import pytest
import requests
from ki_helpers import REPO, drop_database, filestore, free_port, run_script, sql, wait_for

# Each office: host name label, database, and what sets it apart.
OFFICES = {
    "testbekasi": {
        "company": "Dinas Perindustrian Kota Bekasi",
        "office": "DINAS PERINDUSTRIAN KOTA BEKASI",
        "unit": "BKS",
        "estate": "Kawasan Uji Bekasi",
        "tz": "Asia/Jakarta",
        "holiday": False,
    },
    "testkarawang": {
        "company": "Dinas Perindustrian Kabupaten Karawang",
        "office": "DINAS PERINDUSTRIAN KABUPATEN KARAWANG",
        "unit": "KRW",
        "estate": "Kawasan Uji Karawang",
        "tz": "Asia/Makassar",
        "holiday": True,  # a three-day leave on its calendar from an hour ago
    },
}
CALENDAR = (
    "COALESCE((SELECT ki_calendar_id FROM res_company WHERE id = 1), (SELECT res_id FROM "
    "ir_model_data WHERE module = 'kawasan_industri_verif' AND name = 'resource_calendar_dinas'))"
)


def _database(label):
    return f"ki_{label}"


def _set_up_office(database, office):
    """The office's own settings, as its administrator would have made them."""
    sql(database, "UPDATE res_company SET name = %s", (office["company"],))
    sql(
        database,
        "UPDATE res_partner SET name = %s WHERE id IN (SELECT partner_id FROM res_company)",
        (office["company"],),
    )
    sql(database, "UPDATE ki_letter_config SET office_name = %s", (office["office"],))
    sql(
        database,
        "UPDATE ki_number_pattern SET pattern = 'SM/{unit}/{year}/{serial}', unit_code = %s "
        "WHERE code = 'agenda'",
        (office["unit"],),
    )
    sql(database, f"UPDATE resource_calendar SET tz = %s WHERE id = {CALENDAR}", (office["tz"],))
    if office["holiday"]:
        sql(
            database,
            "INSERT INTO resource_calendar_leaves (name, calendar_id, company_id, time_type, "
            "date_from, date_to) SELECT 'Cuti bersama', "
            f"{CALENDAR}, 1, 'leave', "
            "(now() AT TIME ZONE 'UTC') - interval '1 hour', "
            "(now() AT TIME ZONE 'UTC') + interval '3 days'",
        )
    # the applicant's draft gets a name only this office has
    sql(
        database,
        "UPDATE ki_permohonan SET estate_name = %s "
        "WHERE id = (SELECT min(id) FROM ki_permohonan WHERE state = 'draft')",
        (office["estate"],),
    )


@pytest.fixture(scope="module")
def platform(demo_backup, tmp_path_factory):
    """Both offices restored from the demo backup, and one Odoo serving them both."""
    first, second = (_database(label) for label in OFFICES)
    for label in OFFICES:
        drop_database(_database(label))
    run_script("restore", demo_backup, first)
    # the second office: a copy of the first, before either is changed
    sql("postgres", f'CREATE DATABASE "{second}" TEMPLATE "{first}"')
    subprocess.run(["cp", "-a", filestore(first), filestore(second)], check=True)
    for label, office in OFFICES.items():
        _set_up_office(_database(label), office)

    port = free_port()
    log = tmp_path_factory.mktemp("offices") / "serve.log"
    env = {**os.environ, "KI_DB": first, "KI_HTTP_PORT": str(port), "KI_DBFILTER": "^ki_%d$"}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [REPO / "scripts" / "serve", "--", "--max-cron-threads=0"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"

    def up():
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            reply = requests.get(f"{base}/web/login", headers=_host(first), timeout=10)
        except requests.RequestException:
            return False
        return reply.status_code == 200

    try:
        wait_for(up, 180, "scripts/serve answering for both offices")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        for label in OFFICES:
            drop_database(_database(label))


def _host(database):
    return {"Host": f"{database.removeprefix('ki_')}.localhost"}


class Browser:
    """One visitor of one office's host name (the session cookie is per host)."""

    def __init__(self, base, database):
        self.base, self.database = base, database
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers.update(_host(database))

    def get(self, path):
        return self.session.get(self.base + path, timeout=30)

    def login(self, login):
        page = self.get("/web/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.session.post(
            self.base + "/web/login",
            data={"login": login, "password": login, "csrf_token": token, "redirect": "/my"},
            timeout=30,
        )

    def rpc(self, path, params):
        reply = self.session.post(
            self.base + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=60,
        ).json()
        if "error" in reply:
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]

    def authenticate(self, login, database=None):
        return self.rpc(
            "/web/session/authenticate",
            {"db": database or self.database, "login": login, "password": login},
        )

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def test_each_host_name_has_its_own_applications(platform):
    for label, office in OFFICES.items():
        browser = Browser(platform, _database(label))
        reply = browser.login("pemohon")
        assert reply.status_code == 200 and "/web/login" not in reply.url
        page = browser.get("/my/permohonan").text
        assert office["estate"] in page
        others = [other["estate"] for key, other in OFFICES.items() if key != label]
        assert not any(estate in page for estate in others)


def test_a_session_stays_with_its_office(platform):
    first, second = (_database(label) for label in OFFICES)
    browser = Browser(platform, first)
    browser.login("pemohon")
    assert browser.get("/my/permohonan").status_code == 200
    # the same session cookie, sent to the other office's host name, is logged out there
    browser.session.headers.update(_host(second))
    reply = browser.get("/my/permohonan")
    assert "/web/login" in reply.url
    # and an office's host name cannot log in to another office's database
    with pytest.raises(RuntimeError):
        Browser(platform, first).authenticate("admin", database=second)


def test_no_office_for_an_unknown_host_name(platform):
    reply = requests.get(f"{platform}/web/login", headers={"Host": "nowhere.localhost"}, timeout=30)
    assert reply.status_code != 200 or "csrf_token" not in reply.text


def test_letterhead_numbering_and_calendar_are_the_office_s_own(platform):
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    results = {}
    for label, office in OFFICES.items():
        admin = Browser(platform, _database(label))
        admin.authenticate("admin")
        [config] = admin.call("ki.letter.config", "search_read", [], fields=["office_name"])
        assert config["office_name"] == office["office"]

        desk = Browser(platform, _database(label))
        desk.authenticate("sekretariat")
        [file_id] = desk.call("ki.permohonan", "search", [("state", "=", "submitted")], limit=1)
        desk.call("ki.permohonan", "action_receive", [file_id])
        [record] = desk.call("ki.permohonan", "read", [file_id], fields=["agenda_number"])
        [step] = desk.call(
            "ki.permohonan.step",
            "search_read",
            [("permohonan_id", "=", file_id), ("state", "=", "kadis_disposition")],
            fields=["deadline"],
        )
        results[label] = (
            record["agenda_number"],
            datetime.datetime.fromisoformat(step["deadline"]),
        )
        assert record["agenda_number"].startswith(f"SM/{office['unit']}/")

    (bekasi_number, bekasi_deadline), (karawang_number, karawang_deadline) = results.values()
    # the same serial in both: each office counts its own letters
    assert bekasi_number.rsplit("/", 1)[1] == karawang_number.rsplit("/", 1)[1]
    # Karawang's calendar has a leave for three days; Bekasi's does not
    assert bekasi_deadline < now + datetime.timedelta(days=3) <= karawang_deadline
