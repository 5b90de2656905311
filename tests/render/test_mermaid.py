"""``--format mermaid`` and the Mermaid graphs of Markdown reports, checked by Mermaid's
own parser and renderer (the ``mermaid`` npm package pinned in tests/render/mermaid/,
installed there with ``npm ci`` on first use) in the headless Chromium of the HTML tests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from rpmgraph.render.mermaid import MAX_EDGES, MAX_NODES, chains_mermaid, text, to_mermaid
from tests.conftest import SAMPLE_REPOS, Run
from tests.render.chromium import Page, chromium, chromium_binary
from tests.render.graphs import EVIL, evil, layered

PACKAGE_DIR = Path(__file__).parent / "mermaid"
MERMAID_JS = PACKAGE_DIR / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
BINARY = chromium_binary()
ESSEX = SAMPLE_REPOS / "essex"


def _pinned() -> str:
    return str(json.loads((PACKAGE_DIR / "package.json").read_text())["dependencies"]["mermaid"])


def _installed() -> str | None:
    found = MERMAID_JS.parent.parent / "package.json"
    return str(json.loads(found.read_text())["version"]) if found.exists() else None


@pytest.fixture(scope="module")
def mermaid_js() -> Path:
    """The pinned mermaid package, installed by ``npm ci`` from the lock file once."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed (Debian: apt-get install npm): Mermaid's parser "
                    "comes from the mermaid npm package")
    with FileLock(str(PACKAGE_DIR / ".npm-install.lock")):
        if _installed() != _pinned():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                           cwd=PACKAGE_DIR, check=True, capture_output=True, timeout=900)
    assert _installed() == _pinned()
    return MERMAID_JS


@pytest.fixture(scope="module")
def mermaid(mermaid_js: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    if BINARY is None:
        pytest.skip("no chromium binary (Debian: apt-get install chromium; ./dev.sh setup "
                    "installs it)")
    page_file = tmp_path_factory.mktemp("mermaid") / "parse.html"
    page_file.write_text(f'<!doctype html><meta charset="utf-8"><body>'
                         f'<script src="{mermaid_js.as_uri()}"></script></body>')
    with chromium(BINARY) as page:
        page.navigate(page_file.as_uri())
        page.wait_for("typeof mermaid !== 'undefined'")
        page.evaluate("mermaid.initialize({startOnLoad: false, maxEdges: 500})")
        yield page


_count = iter(range(1_000_000))


def check_with_mermaid(page: Page, chart: str) -> str:
    """Mermaid's parse, then its render to SVG: the SVG, or a failure with its message."""
    expression = f"""(async () => {{
        const text = {json.dumps(chart)};
        try {{
            await mermaid.parse(text);
            const {{svg}} = await mermaid.render("g{next(_count)}", text);
            return {{ok: true, svg}};
        }} catch (e) {{ return {{ok: false, error: String(e && e.message || e)}}; }}
    }})()"""
    result = page.evaluate(expression)
    assert result["ok"], f"{result['error']}\n{chart}"
    return str(result["svg"])


def mermaid_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


# ---------------------------------------------------------------- whole graphs


def test_essex_graph_is_capped_and_parses(mermaid: Page, run: Run) -> None:
    result = run("graph", "--repo", ESSEX, "openstack-nova", "--format", "mermaid")
    assert result.exit_code == 0, result.stderr
    chart = result.stdout
    assert chart.startswith("flowchart LR\n%% rpmgraph: openstack-nova-2012.1-6.fc17.noarch\n")
    nodes = re.findall(r'^    (n\d+)\(', chart, flags=re.MULTILINE)
    assert len(nodes) == MAX_NODES
    assert len(re.findall(r"^    \S+ (-->|==>|-\.->)", chart, flags=re.MULTILINE)) <= MAX_EDGES
    assert re.search(r'note0\["\d+ packages and \d+ dependencies not shown', chart)
    svg = check_with_mermaid(mermaid, chart)
    assert "openstack-nova" in svg and "not shown" in svg


def test_every_kind_role_alternative_and_unresolved(mermaid: Page, run: Run,
                                                     mini_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "app.mmd"  # the format from the extension
    result = run("graph", "--repo", mini_repo, "app", "cond", "broken", "--show-alternatives",
                 "--kinds", "requires,recommends,suggests,supplements", "--policy", "all",
                 "-o", out)
    assert result.exit_code == 0, result.stderr
    chart = out.read_text()
    assert "==>" in chart and "-.->" in chart and "-->" in chart  # pre-requires, weak, requires
    assert re.search(r'u0\{\{"nothing provides<br/>nothing-provides-this #62;= 1.0"\}\}',
                     chart)
    assert re.search(r"^    classDef root fill:#ffd966", chart, flags=re.MULTILINE)
    assert re.search(r"^    linkStyle [\d,]+ stroke-dasharray:2 4$", chart, flags=re.MULTILINE)
    check_with_mermaid(mermaid, chart)


def test_hostile_metadata_stays_text(mermaid: Page) -> None:
    chart = to_mermaid(evil())
    assert "<" not in chart.replace("<br/>", "") and '"&' not in chart
    svg = check_with_mermaid(mermaid, chart)
    assert mermaid.evaluate("window.pwned === undefined")
    assert "<script" not in svg and "window.pwned=1" in svg  # shown as text
    assert text(EVIL) == ("#60;/script#62;#60;script#62;window.pwned=1#60;/script#62;#60;#33;-- "
                          "#34;#38;amp#59; #60;b#62;bold#60;/b#62;")


def test_same_graph_same_text_and_small_cap(mermaid: Page) -> None:
    graph = layered(40)
    assert to_mermaid(graph) == to_mermaid(layered(40))
    chart = to_mermaid(graph, max_nodes=10, max_edges=5)
    assert "30 packages and 34 dependencies not shown" in chart
    assert len(re.findall(r"^    n\d+ -->", chart, flags=re.MULTILINE)) == 5
    check_with_mermaid(mermaid, chart)


def test_chains_of_odd_names(mermaid: Page) -> None:
    chains = [("a-1-1.noarch", "lib++-2-1.x86_64", "new#1-1-1.noarch"),
              ("a-1-1.noarch", 'q"uote-1-1.noarch')]
    names = {"a-1-1.noarch": "a", "lib++-2-1.x86_64": "lib++", "new#1-1-1.noarch": "new#1",
             'q"uote-1-1.noarch': 'q"uote'}
    chart = chains_mermaid(chains, names, ["new#1-1-1.noarch", 'q"uote-1-1.noarch'])
    assert 'n2("new#35;1<br/>1-1.noarch")' in chart
    assert re.search(r"class n2,n3 new$", chart, flags=re.MULTILINE)
    check_with_mermaid(mermaid, chart)
    capped = chains_mermaid(chains, names, [], max_edges=2)
    assert "1 more chains not shown" in capped
    check_with_mermaid(mermaid, capped)


# ---------------------------------------------------------------- Markdown reports


def test_check_markdown_shows_the_new_dependency(mermaid: Page, run: Run,
                                                 tmp_path: Path) -> None:
    lock = tmp_path / "rpmgraph.lock.json"
    assert run("snapshot", "--repo", ESSEX, "openstack-keystone", "-o", lock).exit_code == 0
    config = tmp_path / "rpmgraph.toml"
    config.write_text(f'repos = ["{SAMPLE_REPOS / "folsom"}"]\nbaseline = "{lock.name}"\n'
                      '[[budget]]\nroots = "openstack-keystone"\nmax-new-packages = 0\n')
    result = run("check", "--config", config, "--format", "markdown")
    assert result.exit_code == 1, result.stderr
    (block,) = mermaid_blocks(result.stdout)
    assert '("PyPAM<br/>0.5.0-15.fc18.noarch")' in block
    assert re.search(r"^    class n0 new$", block, flags=re.MULTILINE)  # PyPAM sorts first
    svg = check_with_mermaid(mermaid, block)
    assert "python-keystone" in svg


def test_diff_markdown_shows_what_is_added(mermaid: Page, run: Run) -> None:
    args = ("diff", "--old-repo", ESSEX, "--new-repo", SAMPLE_REPOS / "folsom",
            "openstack-nova", "--format")
    result = run(*args, "markdown")
    assert result.exit_code == 0, result.stderr
    (block,) = mermaid_blocks(result.stdout)
    added = json.loads(run(*args, "json").stdout)["added"]
    assert len(added) > 20
    for package in added:
        name, rest = package["name"], package["id"][len(package["name"]) + 1:]
        assert f'("{text(name)}<br/>{text(rest)}")' in block
    svg = check_with_mermaid(mermaid, block)
    assert "python-cliff" in svg


def test_no_new_packages_no_graph(run: Run, tmp_path: Path) -> None:
    config = tmp_path / "rpmgraph.toml"
    config.write_text(f'repos = ["{ESSEX}"]\n[[budget]]\nroots = "openstack-keystone"\n'
                      "max-packages = 1000\n")
    result = run("check", "--config", config, "--format", "markdown")
    assert result.exit_code == 0 and mermaid_blocks(result.stdout) == []
