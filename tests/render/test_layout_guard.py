"""The large-graph guard: the Graphviz engine follows the graph's size, a graph too big
to draw fails at once with advice, --layout overrides, and Graphviz cannot hang."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

from rpmgraph.errors import RenderError
from rpmgraph.render import FORMATS, graphviz
from rpmgraph.render.graphviz import DOT_LIMIT, SFDP_LIMIT, choose_engine, layout
from tests.conftest import SAMPLE_REPOS


def test_small_graphs_use_dot() -> None:
    assert choose_engine(10, 20) == graphviz.LayoutChoice("dot", None)
    assert choose_engine(DOT_LIMIT, 0).engine == "dot"


def test_big_graphs_switch_to_sfdp_with_a_reason() -> None:
    choice = choose_engine(DOT_LIMIT, 1)
    assert choice.engine == "sfdp"
    assert choice.reason is not None
    assert "too many for Graphviz's dot" in choice.reason


def test_huge_graphs_stop_with_advice() -> None:
    with pytest.raises(RenderError) as info:
        choose_engine(SFDP_LIMIT, 1)
    message = str(info.value)
    for hint in ("--depth", "--reduce", "--stop-at-base", "html", "--layout sfdp"):
        assert hint in message


def test_an_engine_the_user_names_is_always_used() -> None:
    assert choose_engine(SFDP_LIMIT * 10, 0, "dot") == graphviz.LayoutChoice("dot", None)
    assert choose_engine(1, 0, "sfdp").engine == "sfdp"


def test_svg_of_a_huge_graph_fails_before_any_dot_text_is_made(
        monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.path_graph(SFDP_LIMIT, create_using=nx.DiGraph)

    def no_dot(*_args: object) -> str:
        raise AssertionError("DOT text made for a graph too big to draw")

    monkeypatch.setattr("rpmgraph.render.dot.to_dot", no_dot)
    with pytest.raises(RenderError, match="too many to lay out"):
        FORMATS["svg"].render(graph)


def test_a_graphviz_process_that_hangs_is_stopped(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    hang = tmp_path / "dot"
    hang.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n", encoding="utf-8")
    hang.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("RPMGRAPH_LAYOUT_TIMEOUT", "0.5")
    with pytest.raises(RenderError, match=r"did not finish within 0\.5 seconds"):
        layout("digraph { a -> b }", "svg")


def test_timeout_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RPMGRAPH_LAYOUT_TIMEOUT", raising=False)
    assert graphviz.timeout() == graphviz.DEFAULT_TIMEOUT
    monkeypatch.setenv("RPMGRAPH_LAYOUT_TIMEOUT", "0")
    assert graphviz.timeout() is None
    monkeypatch.setenv("RPMGRAPH_LAYOUT_TIMEOUT", "soon")
    assert graphviz.timeout() == graphviz.DEFAULT_TIMEOUT


def test_layout_option_picks_the_engine(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rpmgraph.cli import cli

    out = tmp_path / "k.svg"
    result = CliRunner().invoke(cli, ["graph", "--repo", str(SAMPLE_REPOS / "essex"),
                                      "openstack-keystone", "--layout", "sfdp",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_unknown_layout_is_a_usage_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rpmgraph.cli import cli

    result = CliRunner().invoke(cli, ["graph", "--repo", str(SAMPLE_REPOS / "essex"),
                                      "openstack-keystone", "--layout", "bogus",
                                      "-o", str(tmp_path / "k.svg")])
    assert result.exit_code == 2


def test_the_cli_warns_once_when_big_graphs_go_to_sfdp(
        capsys: pytest.CaptureFixture[str]) -> None:
    from rpmgraph.cli.graph import Layouts

    small = nx.DiGraph([("a", "b")])
    big = [nx.path_graph(DOT_LIMIT, create_using=nx.DiGraph) for _ in range(2)]
    layouts = Layouts(FORMATS["svg"], None)
    for graph in (small, *big):
        layouts.choose(graph)
    layouts.warn()
    err = capsys.readouterr().err
    assert err.count("rpmgraph: warning:") == 1
    assert "laid out with sfdp" in err and "1 more graphs" in err
    texts = Layouts(FORMATS["json"], None)
    texts.choose(big[0])  # no pictures, nothing to choose
    assert texts.switched == []
