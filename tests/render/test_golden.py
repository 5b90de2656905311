"""Every format's bytes for a fixed set of graphs, compared with files in golden/.

The files are the project's own output, read through when they were written (DOT parsed
by pydot and drawn by Graphviz, GraphML read back by networkx, JSON parsed): a change
to any renderer that changes a byte shows here, and is either a fix, with the files
written again and their diff read, or a mistake. Write them again with

    .venv/bin/python -m tests.render.test_golden

test_parse_back.py checks that what they hold is what other tools read.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path

import pytest

from rpmgraph.depgraph import DepGraph
from rpmgraph.pool import LoadedPool, Source, SourceKind, build_pool
from rpmgraph.render import FORMATS, RenderOptions
from rpmgraph.render.style import Style
from rpmgraph.resolve import Policy, ResolveOptions, Resolver, find_roots
from tests.conftest import SAMPLE_REPOS
from tests.render.graphs import evil, hostile, layered, long_edges, multi_kind

GOLDEN = Path(__file__).resolve().parent / "golden"
TEXT_FORMATS = ("dot", "graphml", "json", "tree", "list", "mermaid")
STYLES = {"": Style(), "-srpm-sizes-repo": Style(cluster="srpm", sizes=True, color_by="repo"),
          "-repo-tb": Style(cluster="repo", legend=False, rankdir="TB")}
# Names and text that break formats: DOT keywords and ports, numerals, quotes,
# backslashes, controls, XML and HTML, and a name longer than one DOT string may be.
HOSTILE = {"keyword": "node", "port": "a:b", "numeral": "1.5", "quoted": '"quoted"',
           "backslash": "back\\slash", "newline": "new\nline", "controls": "\x00\x01\x1f",
           "accents": "é ü 漢字 🙂", "markup": "<html>&amp;", "empty": "", "cr": "a\r\nb\x0b",
           "separators": "\u2028\x85", "long": "é" * 4200}


@cache
def _pool(repo: str) -> LoadedPool:
    return build_pool([Source(SourceKind.REPO, SAMPLE_REPOS / repo)], "x86_64", None, None,
                      lambda _: None)


def _sample(repo: str, roots: str, options: ResolveOptions | None = None,
            ) -> Callable[[], DepGraph]:
    def make() -> DepGraph:
        loaded = _pool(repo)
        resolver = Resolver(loaded, options or ResolveOptions(), lambda _: None)
        graph = resolver.graph(find_roots(loaded, [roots]))
        # (the checkout's own path is no part of what is compared)
        graph.graph["sources"] = [f"repo:sample_repos/{repo}"]
        return graph
    return make


def _hostile(name: str) -> Callable[[], DepGraph]:
    def make() -> DepGraph:
        graph = hostile(f"{name}-root", name)
        graph.graph["sources"].append(name)
        graph.graph["notes"].append(name)
        return graph
    return make


def _empty() -> DepGraph:
    return layered(0)


# The longest edge tooltip Graphviz takes as one string, about: lengths on both sides of
# it give tooltips of one piece and of two.
_LONGEST = (8192 - len("one-1.0-1.noarch -> target-1.0-1.noarch\\nrequires: "
                       "\\nrecommends: \\nsuggests: ")) // 4

# name: (the graph, its formats, its DOT styles)
CASES: dict[str, tuple[Callable[[], DepGraph], tuple[str, ...], tuple[str, ...]]] = {
    "essex-whole-all": (_sample("essex", "*", ResolveOptions(policy=Policy.ALL)),
                        ("dot", "graphml", "json", "list"), ("", "-srpm-sizes-repo")),
    "essex-bash-all": (_sample("essex", "bash",
                                      ResolveOptions(policy=Policy.ALL)),
                      TEXT_FORMATS, ("",)),
    "grizzly-nova-install": (_sample("grizzly", "openstack-nova"), TEXT_FORMATS,
                             tuple(STYLES)),
    "grizzly-nova-alternatives": (_sample("grizzly", "openstack-nova",
                                          ResolveOptions(show_alternatives=True)),
                                  TEXT_FORMATS, ("",)),
    "folsom-openstack-all": (_sample("folsom", "openstack-*",
                                     ResolveOptions(policy=Policy.ALL)),
                             ("dot",), ("-repo-tb",)),
    "evil": (evil, TEXT_FORMATS, tuple(STYLES)),
    "multi-kind": (multi_kind, TEXT_FORMATS, ("",)),
    "layered": (lambda: layered(120), ("dot", "graphml", "json", "mermaid"), tuple(STYLES)),
    "empty": (_empty, TEXT_FORMATS, ("",)),
    "no-edges": (lambda: layered(2, fanout=0), ("dot", "graphml", "json"), ("",)),
    "one-edge-each": (lambda: layered(5, fanout=1), ("dot", "graphml", "json"), ("",)),
    "clean-alike": (lambda: hostile("a\x01", "a\\x01"), ("dot", "graphml", "json"), ("",)),
    **{f"hostile-{key}": (_hostile(name), TEXT_FORMATS, ("", "-srpm-sizes-repo"))
       for key, name in HOSTILE.items()},
    **{f"long-edges-{offset:+d}": (partial(long_edges, _LONGEST + offset), ("dot",), ("",))
       for offset in (-5, -4, 0, 1)},
}


def outputs() -> Iterator[tuple[str, Callable[[], DepGraph], str, Style]]:
    """(file name, graph, format, style) of every golden file."""
    for name, (make, formats, styles) in CASES.items():
        for fmt in formats:
            for suffix in styles if fmt in ("dot", "mermaid") else ("",):
                yield f"{name}{suffix}.{FORMATS[fmt].extension}", make, fmt, STYLES[suffix]


def render(make: Callable[[], DepGraph], fmt: str, style: Style) -> bytes:
    return FORMATS[fmt].render(make(), RenderOptions(style))


@pytest.mark.parametrize(("file", "make", "fmt", "style"), list(outputs()),
                         ids=[o[0] for o in outputs()])
def test_output_is_the_golden_file(file: str, make: Callable[[], DepGraph], fmt: str,
                                   style: Style) -> None:
    assert render(make, fmt, style) == (GOLDEN / file).read_bytes()


def test_every_golden_file_is_a_case() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(o[0] for o in outputs())


def write() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for old in GOLDEN.iterdir():
        old.unlink()
    for file, make, fmt, style in outputs():
        (GOLDEN / file).write_bytes(render(make, fmt, style))


if __name__ == "__main__":
    write()
    print(f"{len(list(GOLDEN.iterdir()))} files written to {GOLDEN}", file=sys.stderr)
