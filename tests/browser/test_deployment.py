"""The room deployment (deploy/serve.sh): two app processes behind HAProxy, one store.

Each browser must stay on its process (its session, websocket and downloads live there) and new browsers must
spread over the processes; through the proxy the Karte must work as it does on one process.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .helpers import REPO, AppPage, AppServer, _die_with_parent, free_port

KARTE = "/Karte?indikator=kinderarmut&jahr=2025&ebene=2"
COOKIE = "SOZIALDASH_PROCESS"


@pytest.fixture
def deployment(demo_db: Path, tmp_path: Path) -> Iterator[AppServer]:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["bash", str(REPO / "deploy" / "serve.sh"), "2", str(port)], cwd=REPO,
            env={**os.environ, "SOZIALDASH_DB": str(demo_db), "SOZIALDASH_ADDRESS": "127.0.0.1"},
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent)
    server = AppServer(process, port, log)
    try:
        server._wait_healthy()
        yield server
    finally:
        server.stop()


def process_of(app: AppPage) -> str:
    cookies = [cookie["value"] for cookie in app.context.cookies() if cookie["name"] == COOKIE]
    assert len(cookies) == 1, f"HAProxy set no {COOKIE} cookie: {app.context.cookies()}"
    return cookies[0]


def test_browsers_spread_over_two_processes_and_each_keeps_its_own(chromium, deployment):
    opened = [AppPage.open(chromium, deployment, name) for name in ("first", "second")]
    try:
        for app in opened:
            app.goto(KARTE)
            expect(app.heading("Kinderarmut U15 2025")).to_be_visible()
        assert sorted(process_of(app) for app in opened) == ["app1", "app2"]
        for app in opened:
            before = process_of(app)
            app.goto("/Vergleich")
            expect(app.heading("Vergleich")).to_be_visible()
            app.goto(KARTE)
            assert app.wait_for_map(f"deployment-{before}") >= 2000, "the map stayed blank behind the proxy"
            assert process_of(app) == before
            app.assert_no_exception()
            app.assert_clean()
    finally:
        for app in opened:
            app.close()
