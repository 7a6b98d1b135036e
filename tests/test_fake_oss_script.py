"""scripts/fake-oss: the fake OSS-RBA the demo runs, with the demo companies' data."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "fake-oss"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url, body, user_key="demo-user-key"):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "user_key": user_key},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_executable():
    assert os.access(SCRIPT, os.X_OK), "chmod +x scripts/fake-oss"


def test_serves_the_demo_nib_data_and_goes_down_on_request():
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "Fake OSS-RBA" in process.stdout.readline()
        status, answer = _post(f"{url}/inqueryNIB", {"INQUERYNIB": {"nib": "9120000000000"}})
        assert status == 200
        data = answer["responinqueryNIB"]["dataNIB"]
        assert data["nama_perseroan"] == "PT Kawasan Industri Nusantara"
        assert data["data_checklist"][0]["id_izin"] == "I-2026010000"

        status, answer = _post(f"{url}/inqueryNIB", {"INQUERYNIB": {"nib": "9120000000000"}}, "x")
        assert (status, answer["responinqueryNIB"]["kode"]) == (401, 401)

        _post(f"{url}/_fake/down", {})
        start = time.monotonic()
        try:
            _post(f"{url}/inqueryNIB", {"INQUERYNIB": {"nib": "9120000000000"}})
        except (urllib.error.URLError, ConnectionError) as error:
            assert time.monotonic() - start < 5, error
        else:
            raise AssertionError("a down OSS must not answer")
    finally:
        process.terminate()
        process.wait(timeout=10)
