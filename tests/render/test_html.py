"""The HTML page as a file: self-contained, names every node, escapes metadata, lays
small graphs out with Graphviz and big ones in layers."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from rpmgraph.render.html import layered_positions, layout_positions, script_json, to_html
from rpmgraph.render.style import Style
from tests.conftest import SAMPLE_REPOS, Run
from tests.render.graphs import EVIL, evil, layered


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(text: str) -> Tags:
    tags = Tags()
    tags.feed(text)
    return tags


def embedded(tags: Tags) -> dict:  # type: ignore[type-arg]
    index = [i for i, (t, a) in enumerate(t for t in tags.tags if t[0] == "script")
             if a.get("type") == "application/json"]
    assert len(index) == 1
    return json.loads(tags.scripts[index[0]])  # type: ignore[no-any-return]


def test_page_is_self_contained_and_names_every_node(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "nova.html"
    assert run("graph", "--repo", SAMPLE_REPOS / "essex", "openstack-nova", "-o", out
               ).exit_code == 0
    text = out.read_text()
    graph = json.loads(run("graph", "--repo", SAMPLE_REPOS / "essex", "openstack-nova",
                           "-f", "json").stdout)
    ids = {n["id"] for n in graph["nodes"]}
    tags = parse(text)
    assert [t for t, _ in tags.tags].count("script") == 3
    for tag, attrs in tags.tags:
        assert "src" not in attrs and tag not in ("link", "iframe", "img", "object"), tag
        assert not re.match(r"https?:", attrs.get("href") or ""), attrs
    listed = {a["data-id"] for t, a in tags.tags if t == "button" and "data-id" in a}
    assert listed == ids and len(ids) == 112
    data = embedded(tags)
    assert {n["id"] for n in data["nodes"]} == ids
    assert data["edges"] == graph["edges"]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    csp = next(a["content"] for t, a in tags.tags if a.get("http-equiv") ==
               "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp
    assert "cytoscape" in tags.scripts[1] and "window.rpmgraph" in tags.scripts[2]


def test_format_from_the_extension_and_the_option(run: Run, mini_repo: Path,
                                                  tmp_path: Path) -> None:
    by_option = run("graph", "--repo", mini_repo, "app", "--format", "html").stdout
    assert by_option.startswith("<!DOCTYPE html>")
    run("graph", "--repo", mini_repo, "app", "-O", tmp_path, "--format", "html")
    assert (tmp_path / "app.html").read_text() == by_option


def test_metadata_cannot_close_the_script_or_open_a_comment() -> None:
    text = to_html(evil())
    assert text.count("</script") == 3  # the three elements' own end tags
    assert "<!--" not in text
    data = embedded(parse(text))
    summaries = {n["summary"] for n in data["nodes"]}
    assert EVIL in summaries and "-->" + EVIL in summaries
    assert data["edges"][0]["capabilities"] == [EVIL]
    assert data["unresolved"][0]["capability"] == EVIL
    listed = [a.get("data-id") for t, a in parse(text).tags if t == "button" and "data-id" in a]
    assert "leaf<!---1.0-1.noarch" in listed  # escaped in the attribute, read back whole
    assert script_json({"a": "</script><!--&\u2028"}) == (
        '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028"}')


def test_small_graphs_take_graphvizs_layout_big_ones_layers() -> None:
    small = layered(30)
    found = layout_positions(small, Style())
    assert found != layered_positions(small)  # from dot, not the fallback
    assert len(set(found.values())) == 30
    assert min(found, key=lambda n: found[n][0]) == "p0-1.0-1.noarch"  # LR: root leftmost
    big = layered(2000)
    positions = layout_positions(big, Style())
    assert positions == layered_positions(big)
    assert len(set(positions.values())) == 2000
    columns = {x for x, _ in positions.values()}
    assert positions["p0-1.0-1.noarch"][0] == min(columns)
    tall = layered_positions(big, "TB")
    assert tall["p0-1.0-1.noarch"][1] == min(y for _, y in tall.values())


def test_why_and_cycles_write_pages(run: Run, mini_repo: Path, tmp_path: Path) -> None:
    why = tmp_path / "why.html"
    assert run("why", "--repo", mini_repo, "app", "libcore", "-o", why).exit_code == 0
    data = embedded(parse(why.read_text()))
    assert [n["id"] for n in data["nodes"]] == [
        "app-1.0-1.noarch", "lib-2.0-1.noarch", "libcore-1.0-1.noarch"]
    assert [n["role"] for n in data["nodes"]] == ["root", "direct", "transitive"]
    cycles = tmp_path / "cycles.html"
    assert run("cycles", "--repo", mini_repo, "-o", cycles).exit_code == 0
    assert {n["id"] for n in embedded(parse(cycles.read_text()))["nodes"]} == {
        "lib-2.0-1.noarch", "libcore-1.0-1.noarch"}
