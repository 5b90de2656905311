"""--format and -o's extension: one table (render's FORMATS, and the reports beside it)
gives the choices and what each extension asks for."""

from __future__ import annotations

import click
import pytest

from rpmgraph.cli.outputs import Outputs
from rpmgraph.render import FORMATS

_WHY = ("text", "json", "dot", "svg", "png", "pdf", "graphml", "html")


def test_format_wins_over_the_extension() -> None:
    assert Outputs("x.svg", None, "json", _WHY).chosen("text") == "json"


def test_the_extension_names_one_of_the_commands_formats() -> None:
    assert Outputs("why.txt", None, None, _WHY).chosen("text") == "text"
    assert Outputs("why.SVG", None, None, _WHY).chosen("text") == "svg"
    assert Outputs("r.md", None, None, ("text", "json", "markdown")).chosen("text") == "markdown"
    assert Outputs("r.xml", None, None, ("text", "junit")).chosen("text") == "junit"
    assert Outputs("g.gv", None, None).format().name == "dot"


def test_graphs_keep_their_own_extensions() -> None:
    for fmt in FORMATS.values():
        assert Outputs(f"g.{fmt.extension}", None, None).format() is fmt


def test_no_extension_is_dot_and_stdout_the_default() -> None:
    assert Outputs("picture", None, None, _WHY).chosen("text") == "dot"
    assert Outputs("-", None, None, _WHY).chosen("text") == "text"
    assert Outputs("report", None, None, ("text", "json")).chosen("text") == "text"
    assert Outputs(None, None, None).format("json").name == "json"


def test_an_extension_the_command_does_not_write_is_refused() -> None:
    with pytest.raises(click.UsageError, match=r"x\.mmd.*pass --format \(dot, graphml"):
        Outputs("x.mmd", None, None, _WHY).chosen("text")


def test_graph_offers_every_format_of_the_table() -> None:
    from rpmgraph.cli import cli

    ctx = click.Context(cli)
    command = cli.get_command(ctx, "graph")
    assert command is not None
    (fmt,) = [p for p in command.params if p.name == "fmt"]
    assert isinstance(fmt.type, click.Choice)
    assert list(fmt.type.choices) == sorted(FORMATS)
