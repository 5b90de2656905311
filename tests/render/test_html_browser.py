"""The HTML page in a real headless Chromium: it loads cleanly and offline, the search
finds packages, a click highlights the neighbours, and 5,000 packages load in time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rpmgraph.render.html import to_html
from tests.conftest import SAMPLE_REPOS, Run
from tests.render.chromium import Page, chromium, chromium_binary
from tests.render.graphs import EVIL, evil, layered

BINARY = chromium_binary()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="no chromium binary (Debian: apt-get install chromium; "
    "./dev.sh setup installs it)")
ESSEX = SAMPLE_REPOS / "essex"
NOVA = "openstack-nova-2012.1-6.fc17.noarch"
PYTHON_NOVA = "python-nova-2012.1-6.fc17.noarch"
LOAD_SECONDS = 30.0  # a 5,000-package page must be drawn and usable within this


@pytest.fixture(scope="module")
def browser() -> Iterator[Page]:
    assert BINARY is not None
    with chromium(BINARY) as page:
        yield page


@pytest.fixture(scope="module")
def nova_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from rpmgraph.cli import cli

    out = tmp_path_factory.mktemp("html") / "nova.html"
    result = CliRunner().invoke(cli, ["graph", "--repo", str(ESSEX), "openstack-nova",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def open_page(page: Page, path: Path, timeout: float = LOAD_SECONDS) -> float:
    """Load the file, wait until the page says it is drawn; seconds it took."""
    page.errors.clear()
    page.requests.clear()
    page.navigate(path.as_uri())
    return page.wait_for("document.documentElement.getAttribute('data-ready') === 'true'",
                         timeout)


def test_page_loads_without_errors_and_offline(browser: Page, nova_page: Path,
                                               tmp_path: Path) -> None:
    open_page(browser, nova_page)
    assert browser.errors == []
    assert browser.requests == [nova_page.as_uri()], "the page fetched something"
    data = browser.evaluate("JSON.stringify(window.rpmgraph.cy.nodes().map(n => n.id()))")
    drawn = set(json.loads(data))
    listed = set(browser.evaluate(
        "Array.from(document.querySelectorAll('#packages button')).map(b => b.dataset.id)"))
    assert NOVA in drawn and len(drawn) == 112
    assert listed == drawn
    browser.screenshot(tmp_path / "page.png")
    assert (tmp_path / "page.png").read_bytes().startswith(b"\x89PNG")


def test_search_finds_a_package(browser: Page, nova_page: Path) -> None:
    open_page(browser, nova_page)
    browser.evaluate("""(() => { const s = document.getElementById('search');
        s.focus(); s.value = 'greenlet'; s.dispatchEvent(new Event('input')); })()""")
    visible = browser.evaluate("""Array.from(document.querySelectorAll('#packages li'))
        .filter(li => !li.classList.contains('hidden')).map(li => li.textContent)""")
    assert visible == ["python-greenlet 0.3.1-9.fc17.x86_64"]
    assert browser.evaluate("document.getElementById('matches').textContent") == "1 match"
    assert browser.evaluate("window.rpmgraph.cy.nodes('.match').map(n => n.id())") == [
        "python-greenlet-0.3.1-9.fc17.x86_64"]
    browser.send("Input.dispatchKeyEvent", type="keyDown", key="Enter", code="Enter",
                 windowsVirtualKeyCode=13)
    browser.wait_for("document.querySelector('#info h2') !== null")
    assert browser.evaluate("document.querySelector('#info h2').textContent") == (
        "python-greenlet-0.3.1-9.fc17.x86_64")
    # A capability finds the package that provides it.
    found = browser.evaluate("window.rpmgraph.find('/usr/sbin/useradd')")
    assert found == ["shadow-utils-2:4.1.5.1-1.fc17.noarch"]


def test_click_highlights_the_neighbours(browser: Page, nova_page: Path, run: Run) -> None:
    open_page(browser, nova_page)
    x, y = browser.evaluate(f"""(() => {{
        const cy = window.rpmgraph.cy, n = cy.getElementById({json.dumps(PYTHON_NOVA)});
        cy.zoom(1); cy.center(n);
        const box = document.getElementById('cy').getBoundingClientRect();
        const p = n.renderedPosition();
        return [box.left + p.x, box.top + p.y]; }})()""")
    browser.click(x, y)
    browser.wait_for("window.rpmgraph.cy.nodes('.chosen').length === 1")
    marked = browser.evaluate("""(() => { const cy = window.rpmgraph.cy;
        return {chosen: cy.nodes('.chosen').map(n => n.id()),
                dependency: cy.nodes('.dependency').map(n => n.id()).sort(),
                dependent: cy.nodes('.dependent').map(n => n.id()).sort(),
                faded: cy.nodes('.faded').length,
                title: document.querySelector('#info h2').textContent}; })()""")
    graph = json.loads(run("graph", "--repo", ESSEX, "openstack-nova", "-f", "json").stdout)
    requires = sorted({e["target"] for e in graph["edges"] if e["source"] == PYTHON_NOVA})
    required_by = sorted({e["source"] for e in graph["edges"] if e["target"] == PYTHON_NOVA})
    assert marked["chosen"] == [PYTHON_NOVA]
    assert marked["title"] == PYTHON_NOVA
    assert marked["dependency"] == requires and "python-greenlet-0.3.1-9.fc17.x86_64" in requires
    assert marked["dependent"] == required_by == [NOVA]
    assert marked["faded"] == 112 - 1 - len(requires) - len(required_by)
    details = browser.evaluate("document.getElementById('info').textContent")
    assert "Nova Python libraries" in details and "python-greenlet" in details
    assert browser.errors == []


def test_5000_packages_load_in_bounded_time(browser: Page, tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_text(to_html(layered(5000)))
    seconds = open_page(browser, page)
    assert seconds < LOAD_SECONDS
    assert browser.evaluate("window.rpmgraph.cy.nodes().length") == 5000
    assert browser.evaluate("window.rpmgraph.select('p42-1.0-1.noarch', true)") is True
    assert browser.evaluate("window.rpmgraph.cy.nodes('.dependency').length") == 3
    assert browser.errors == []


def test_metadata_cannot_break_out_of_the_page(browser: Page, tmp_path: Path) -> None:
    page = tmp_path / "evil.html"
    page.write_text(to_html(evil()))
    open_page(browser, page)
    assert browser.evaluate("typeof window.pwned") == "undefined"
    browser.evaluate("window.rpmgraph.select('root-1.0-1.noarch', false)")
    details = browser.evaluate("document.getElementById('info').textContent")
    assert EVIL in details  # shown as text, summary and capabilities alike
    assert browser.evaluate("document.querySelectorAll('#info b').length") == 0
    assert browser.errors == []


def test_pages_of_every_kind_of_node_load_cleanly(browser: Page, mini_repo: Path, run: Run,
                                                  tmp_path: Path) -> None:
    """Unresolved dependencies, unpicked alternatives, a collapsed base, source-package
    nodes, a reverse graph, repository colours and an empty graph."""
    variants = {
        "broken": ["broken", "app", "--policy", "all"],
        "alternatives": ["app", "--show-alternatives"],
        "base": ["app", "--base", "lib"],
        "srpm": ["app", "--collapse", "srpm", "--color-by", "repo"],
        "reverse": ["--reverse", "libcore", "--rankdir", "TB"],
    }
    for name, args in variants.items():
        out = tmp_path / f"{name}.html"
        assert run("graph", "--repo", mini_repo, *args, "-o", out).exit_code == 0, name
        open_page(browser, out)
        count = browser.evaluate("window.rpmgraph.cy.nodes().length")
        listed = browser.evaluate("document.querySelectorAll('#packages li').length")
        assert count == listed > 0, name
        first = browser.evaluate("window.rpmgraph.cy.nodes()[0].id()")
        assert browser.evaluate(f"window.rpmgraph.select({json.dumps(first)}, true)") is True
        assert browser.errors == [], (name, browser.errors)
    empty = tmp_path / "empty.html"
    assert run("cycles", "--repo", SAMPLE_REPOS / "essex", "python-greenlet", "-o", empty
               ).exit_code == 0
    open_page(browser, empty)
    assert browser.evaluate("window.rpmgraph.cy.nodes().length") == 0
    assert browser.errors == []
