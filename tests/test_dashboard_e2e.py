"""The dashboard in a real browser: started by flows.dashboard.launch, driven with Playwright and chromium.

Screenshots go to test-artifacts/ (or $NEWSETL_ARTIFACTS) for a human to look at after CI.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.dashboard import command, launch, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("NEWSETL_ARTIFACTS") or ROOT / "test-artifacts")
CHROMIUM = shutil.which("chromium")
TIMEOUT_MS = 30_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dashboard_server(db: Path, log: Path) -> Iterator[str]:
    """The dashboard on a free port of 127.0.0.1; the server is always stopped, the test failing or not."""
    port = free_port()
    with log.open("w") as out:
        proc = launch(str(db), host="127.0.0.1", port=port, stdout=out, stderr=subprocess.STDOUT)
        assert not isinstance(proc, int), f"launch refused: {proc}"
        try:
            url = f"http://127.0.0.1:{port}"
            assert wait_healthy(url, timeout_s=60, proc=proc), f"no /_stcore/health; log:\n{log.read_text()}"
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        why = "chromium is not installed (Debian: apt-get install chromium); the dashboard browser tests need it"
        if os.environ.get("NEWSETL_REQUIRE_BROWSER"):  # CI: a missing browser is a failure, not a skip
            pytest.fail(why)
        pytest.skip(why)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 3600})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    try:
        yield pg
    finally:
        context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def settled(page) -> None:
    """Wait until the script run is over (the 'Running' status widget is gone) and the last view is drawn."""
    from playwright.sync_api import expect

    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    expect(page.locator(".st-key-loads_view")).to_contain_text("Load health")


def no_errors(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stException")).to_have_count(0)
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error:" not in body, body[:2000]


def pick(page, label: str, typed: str, option: str) -> None:
    """Choose in a Streamlit selectbox by its visible label: open it, type to filter, click the option."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=option).first.click()
    settled(page)


def eventually(page, probe, at_least: int, what: str) -> int:
    """Poll `probe()` until it reaches `at_least`: charts and grids draw a moment after the script run ends."""
    for _ in range(TIMEOUT_MS // 250):
        n = probe()
        if n >= at_least:
            return n
        page.wait_for_timeout(250)
    raise AssertionError(f"{what}: {n} < {at_least} after {TIMEOUT_MS / 1000:.0f} s")


def chart_marks(page, view: str, at_least: int) -> int:
    """Wait for drawn marks (bars, points, line paths) of the vega charts inside one view."""
    marks = page.locator(f".st-key-{view} [data-testid=stVegaLiteChart] svg "
                         ":is(.mark-rect, .mark-symbol, .mark-line) path")
    return eventually(page, marks.count, at_least, f"chart marks in {view}")


def table_rows(page, view: str, at_least: int) -> int:
    """Wait for data rows of the first dataframe in a view (glide grid's aria-rowcount counts the header too)."""
    grid = page.locator(f".st-key-{view} [data-testid=stDataFrame] table").first

    def rows() -> int:
        return int(grid.get_attribute("aria-rowcount") or 0) - 1 if grid.count() else 0

    return eventually(page, rows, at_least, f"table rows in {view}")


def loads_in(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT load_id, status FROM loads ORDER BY started_at").fetchall()
    finally:
        con.close()


def test_launcher_command_is_headless_on_the_given_address():
    cmd = command("w.duckdb", "127.0.0.1", 8765)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith(str(Path("dashboard", "app.py")))
    flags = dict(zip(cmd[5:-3:2], cmd[6:-3:2], strict=True))
    assert flags == {"--server.address": "127.0.0.1", "--server.port": "8765", "--server.headless": "true",
                     "--browser.gatherUsageStats": "false"}
    assert cmd[-3:] == ["--", "--db", "w.duckdb"]


def test_launcher_says_how_to_install_streamlit_when_it_is_missing(monkeypatch, capsys, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "streamlit" else real(name, *a))
    db = tmp_path / "warehouse.duckdb"
    db.touch()
    assert launch(str(db), port=free_port()) == 2
    assert "uv sync --extra dashboard" in capsys.readouterr().err


def test_dashboard_command_refuses_a_missing_warehouse(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["dashboard", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    helped = CliRunner().invoke(app, ["dashboard", "--help"], terminal_width=120)
    assert helped.exit_code == 0 and "read-only" in helped.output.lower() and "--port" in helped.output


@pytest.mark.e2e
@pytest.mark.slow
def test_dashboard_shows_the_pair_line_entity_views_and_tables(examples_warehouse, page, tmp_path):
    from playwright.sync_api import expect

    db, _ = examples_warehouse
    with dashboard_server(db, tmp_path / "streamlit.log") as url:
        page.goto(url)
        settled(page)
        shot(page, "dashboard-opened")
        no_errors(page)

        pick(page, "Entity", "Ferreyra", "Tomás Ferreyra")
        pick(page, "Country A", "BRA", "BRA")
        pick(page, "Country B", "ARG", "ARG")

        expect(page.locator(".st-key-pair_view")).to_contain_text("Cooperation and conflict: BRA ↔ ARG")
        expect(page.locator(".st-key-pair_view [data-testid=stVegaLiteChart] svg").first).to_be_visible()
        chart_marks(page, "pair_view", 3)  # a point per direction and the total, at least
        expect(page.locator(".st-key-pair_view [data-testid=stMetricValue]").first).not_to_have_text("0")
        chart_marks(page, "timeline_view", 1)
        chart_marks(page, "entities_view", 5)

        expect(page.locator(".st-key-neighbours_view")).to_contain_text("Appears with: Tomás Ferreyra")
        chart_marks(page, "neighbours_view", 3)

        expect(page.locator(".st-key-quotes_view [data-testid=stDataFrame]").first).to_be_visible()
        table_rows(page, "quotes_view", 3)
        expect(page.locator(".st-key-quotes_view [role=gridcell]").first).to_have_text("Tomás Ferreyra")
        table_rows(page, "loads_view", 1)
        expect(page.locator(".st-key-loads_view")).to_contain_text("committed")

        search = page.get_by_role("textbox", name="Search articles and quotes")
        search.fill("border")
        search.press("Enter")
        settled(page)
        # results, or a clear note when the search module or its index is not there: never an exception
        expect(page.locator(".st-key-search_view :is([data-testid=stDataFrame], [data-testid=stAlert])")
               .first).to_be_visible()
        no_errors(page)
        shot(page, "dashboard-pair-BRA-ARG-entity-Ferreyra")


NEW_ARTICLE = {
    "id": "chile-peru-fisheries", "title": "Chile and Peru agree to share fisheries patrol data",
    "published": "2025-08-01", "publisher": "Pacific Desk", "author": "Lucía Paredes",
    "text": "Chile and Peru agreed on Friday to share fisheries patrol data along their maritime border, "
            "the two foreign ministries said in a joint statement.\n\n"
            "Chilean Foreign Minister Rosa Alvear said the accord would let both navies track illegal trawlers "
            "in real time. \"We will patrol these waters together,\" Alvear told reporters in Lima.\n\n"
            "Peru's foreign minister, Andrés Quispe, welcomed the agreement and said officials from both "
            "countries would meet again in Santiago in October to review it.",
}


@pytest.mark.e2e
@pytest.mark.slow
def test_dashboard_keeps_serving_while_a_writer_commits(examples_warehouse, page, tmp_path):
    """A writer holds the file (the page says busy, then recovers), then a nightly load commits under it."""
    from playwright.sync_api import expect

    from flows.nightly import nightly

    src, _ = examples_warehouse
    db = tmp_path / "warehouse.duckdb"  # a copy: the shared examples warehouse stays as other tests expect
    shutil.copy(src, db)
    if Path(f"{src}.wal").exists():
        shutil.copy(f"{src}.wal", f"{db}.wal")
    before = loads_in(db)
    with dashboard_server(db, tmp_path / "streamlit.log") as url:
        page.goto(url)
        settled(page)
        expect(page.locator(".st-key-loads_view")).to_contain_text(f"{len(before)} recent load(s)")

        # 1. a read-write connection in another process excludes the dashboard's read-only ones
        writer = duckdb.connect(str(db))
        try:
            os.utime(db)  # a new file version: the cached results no longer apply, the page must reconnect
            page.reload()
            expect(page.get_by_text("Warehouse busy")).to_be_visible()
            shot(page, "dashboard-warehouse-busy")
        finally:
            writer.close()
        expect(page.get_by_text("Warehouse busy")).to_have_count(0)
        settled(page)
        no_errors(page)

        # 2. a nightly load commits while the page is open
        landing = tmp_path / "landing"
        landing.mkdir()
        (landing / "2025-08_pacific_desk.jsonl").write_text(json.dumps(NEW_ARTICLE) + "\n", encoding="utf-8")
        summary = nightly([str(landing)], db=str(db), state=os.environ["NEWSETL_HOME"])
        assert [ld.status for ld in summary.loads] == ["committed"]
        after = loads_in(db)
        assert len(after) == len(before) + 1 and (summary.loads[0].load_id, "committed") in after

        page.reload()
        settled(page)
        no_errors(page)
        expect(page.locator(".st-key-loads_view")).to_contain_text(f"{len(after)} recent load(s): "
                                                                   f"{len(after)} committed")
        assert table_rows(page, "loads_view", len(after)) == len(after)
        chart_marks(page, "entities_view", 5)
        shot(page, "dashboard-after-new-load")
