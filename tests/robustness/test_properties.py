"""Property-based tests: dependency strings round-trip through libsolv, escaping holds for
any text in every format, output does not depend on insertion order, --reduce keeps
reachability, and the parsers of rich dependencies and of configuration take any input."""

from __future__ import annotations

import itertools
import json
import random
import subprocess

import networkx as nx
import solv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rpmgraph.analysis.paths import forward_view
from rpmgraph.analysis.transform import reduce
from rpmgraph.depgraph import DepGraph, add_dependency, add_package, new_graph
from rpmgraph.model import Dependency, Kind, Package
from rpmgraph.render.dot import quote, to_dot
from rpmgraph.render.graphml import to_graphml
from rpmgraph.render.json import to_json
from rpmgraph.render.style import Style
from rpmgraph.render.tree import to_tree_text
from rpmgraph.resolve import parse_capability
from rpmgraph.richdeps import split_rich

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- dependency strings

_NAME = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.+\-/()]{0,15}", fullmatch=True).filter(
    lambda s: s.count("(") == s.count(")") and not s.startswith("("))
_EVR = st.from_regex(r"([1-9][0-9]?:)?[0-9][0-9a-z.~^+]{0,6}(-[0-9][0-9a-z.]{0,4})?",
                     fullmatch=True)
_OP = st.sampled_from(["<", "<=", "=", ">=", ">"])


@st.composite
def simple_caps(draw: st.DrawFn) -> str:
    name = draw(_NAME)
    if draw(st.booleans()):
        return f"{name} {draw(_OP)} {draw(_EVR)}"
    return name


@st.composite
def rich_caps(draw: st.DrawFn, depth: int = 2) -> str:
    parts = [draw(rich_caps(depth - 1)) if depth and draw(st.booleans())
             else draw(simple_caps().filter(lambda s: "(" not in s)) for _ in range(2)]
    op = draw(st.sampled_from(["and", "or", "if", "unless", "with", "without"]))
    return f"({parts[0]} {op} {parts[1]})"


@SETTINGS
@given(simple_caps())
def test_simple_capabilities_round_trip(text: str) -> None:
    pool = solv.Pool()
    assert str(parse_capability(pool, text)) == text


@SETTINGS
@given(rich_caps())
def test_rich_capabilities_round_trip(text: str) -> None:
    """libsolv prints ``((a and b) and c)`` as ``(a and b and c)``: its printed form is
    the one that must read back the same and split into capabilities."""
    pool = solv.Pool()
    printed = str(parse_capability(pool, text))
    assert str(parse_capability(pool, printed)) == printed
    split = split_rich(printed)
    assert split is not None
    operands, operators = split
    rebuilt = " ".join(x for pair in zip(operands, [*operators, ""], strict=True)
                       for x in pair if x)
    assert f"({rebuilt})" == printed
    for operand in operands:  # each operand is itself a capability libsolv reads back
        assert str(parse_capability(pool, operand)) == operand


# ---------------------------------------------------------------- escaping

NUL = "\0"
_ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@SETTINGS
@given(st.lists(_ANY_TEXT, min_size=1, max_size=8))
def test_dot_quote_survives_graphviz(texts: list[str]) -> None:
    """Any text quoted as a node name, a label and a tooltip is one valid DOT string:
    Graphviz parses the file and finds exactly the nodes that were written."""
    # Label nodes are named "label I"; name nodes hold a NUL, so the two never collide.
    lines = [f'"label {i}" [label={quote(t)}, tooltip={quote(t)}];\n{quote(t + NUL + str(i))};'
             for i, t in enumerate(texts)]
    source = "digraph g {\n" + "\n".join(lines) + "\n}\n"
    result = subprocess.run(["dot", "-Tjson0"], input=source.encode(), capture_output=True,
                            check=False)
    assert result.returncode == 0, result.stderr.decode()
    objects = json.loads(result.stdout).get("objects", [])
    assert len(objects) == 2 * len(texts)
    printable = [t for t in texts if t.isprintable() and "\\" not in t]
    labels = {o.get("label") for o in objects}
    assert all(t in labels for t in printable)


def _package(name: str, summary: str = "", version: str = "1.0") -> Package:
    return Package(name=name, epoch=0, version=version, release="1", arch="noarch", repo="r",
                   installsize=1, downloadsize=1, sourcerpm=f"{name}.src.rpm", summary=summary)


@SETTINGS
@given(st.lists(st.tuples(_ANY_TEXT.filter(bool), _ANY_TEXT), min_size=1, max_size=6,
                unique_by=lambda p: p[0]))
def test_json_and_graphml_carry_any_text(items: list[tuple[str, str]]) -> None:
    graph = new_graph("all", ["repo:x"], [])
    nodes = [add_package(graph, _package(name, summary)) for name, summary in items]
    for a, b in itertools.pairwise(nodes):
        add_dependency(graph, a, b, Dependency(Kind.REQUIRES, f"{items[0][0]} >= 1"))
    doc = json.loads(to_json(graph))
    assert [(n["name"], n["summary"]) for n in doc["nodes"]] == sorted(
        items, key=lambda p: _package(p[0]).nevra)
    parsed = nx.parse_graphml(to_graphml(graph))
    assert parsed.number_of_nodes() == len(items)
    assert parsed.number_of_edges() == len(items) - 1
    clean = {name for name, _ in items if all(ch.isprintable() or ch in "\n\t" for ch in name)}
    assert clean <= {d["name"] for _, d in parsed.nodes(data=True)}


# ---------------------------------------------------------------- determinism


@st.composite
def graph_specs(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, int, Kind]]]:
    names = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,6}", fullmatch=True),
                          min_size=1, max_size=9, unique=True))
    edges = draw(st.lists(st.tuples(st.integers(0, len(names) - 1),
                                    st.integers(0, len(names) - 1),
                                    st.sampled_from(list(Kind))), max_size=25))
    return names, edges


def _build(names: list[str], edges: list[tuple[int, int, Kind]], rng: random.Random,
           ) -> DepGraph:
    graph = new_graph("all", ["repo:x"], [f"{names[0]}-1.0-1.noarch"])
    order = list(range(len(names)))
    rng.shuffle(order)
    for i in order:
        add_package(graph, _package(names[i], summary=f"about {names[i]}"))
    shuffled = [(a, b, kind) for a, b, kind in edges if a != b]
    rng.shuffle(shuffled)
    for a, b, kind in shuffled:
        source, target = f"{names[a]}-1.0-1.noarch", f"{names[b]}-1.0-1.noarch"
        add_dependency(graph, source, target, Dependency(kind, f"cap-{names[b]}"))
    return graph


@SETTINGS
@given(graph_specs(), st.integers(0, 2**32))
def test_outputs_do_not_depend_on_insertion_order(spec: tuple[list[str], list[tuple[int, int,
                                                  Kind]]], seed: int) -> None:
    names, edges = spec
    one, two = _build(names, edges, random.Random(seed)), _build(names, edges,
                                                                random.Random(seed + 1))
    style = Style()
    assert to_json(one) == to_json(two)
    assert to_dot(one, style) == to_dot(two, style)
    assert to_graphml(one) == to_graphml(two)
    assert to_tree_text(one) == to_tree_text(two)


# ---------------------------------------------------------------- --reduce


@SETTINGS
@given(graph_specs(), st.integers(0, 2**32))
def test_reduce_keeps_reachability(spec: tuple[list[str], list[tuple[int, int, Kind]]],
                                   seed: int) -> None:
    names, edges = spec
    graph = _build(names, edges, random.Random(seed))
    reduced = reduce(graph)
    before, after = forward_view(graph), forward_view(reduced)
    assert set(reduced.nodes) == set(graph.nodes)
    assert set(reduced.edges) <= set(graph.edges)
    for node in graph.nodes:
        assert nx.descendants(after, node) == nx.descendants(before, node)


# ---------------------------------------------------------------- rich dependency parsing

_RICH_WORDS = st.sampled_from(["(", ")", " ", "a", "b>=1", "and", "or", "if", "else",
                               "unless", "with", "without", "(a", "b)", "&#40;", "\x00", "é"])


@SETTINGS
@given(st.lists(_RICH_WORDS, max_size=40).map("".join) | st.text(max_size=60))
def test_rich_parsing_takes_any_text(text: str) -> None:
    """split_rich and the depth checks never fail, whatever the text; what split_rich
    gives back is the text's own words, and a depth is never more than its ( count."""
    from rpmgraph.richdeps import nesting_depth, too_deep

    split = split_rich(text)
    if split is not None:
        operands, operators = split
        assert len(operands) == len(operators) + 1 and all(operands)
        for word in [*operands, *operators]:
            assert word in text
    depth = nesting_depth(text)
    assert 0 <= depth <= text.count("(")
    too_deep(text)


@SETTINGS
@given(st.integers(min_value=0, max_value=300), st.sampled_from(["and", "or", "if", "with"]))
def test_nesting_depth_of_nested_rich_dependencies(depth: int, op: str) -> None:
    from rpmgraph.richdeps import nesting_depth, too_deep

    text = f"(a {op} " * depth + "b" + ")" * depth
    assert nesting_depth(text) == depth
    assert too_deep(text) == (depth > 64)


@SETTINGS
@given(rich_caps())
def test_split_rich_parts_rebuild_the_dependency(text: str) -> None:
    split = split_rich(text)
    assert split is not None
    operands, operators = split
    words = [operands[0]]
    for op, operand in zip(operators, operands[1:], strict=True):
        words += [op, operand]
    assert "(" + " ".join(words) + ")" == text


# ---------------------------------------------------------------- configuration parsing

_TOML_VALUES = st.recursive(
    st.none().map(lambda _: '""') | st.integers(-(2**70), 2**70).map(str)
    | st.floats(allow_nan=True).map(repr) | st.booleans().map(lambda b: str(b).lower())
    | st.text(max_size=20).map(json.dumps),
    lambda inner: st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
    max_leaves=8)
_KEYS = st.sampled_from(["repos", "rpms", "installed", "arch", "policy", "kinds", "weak",
                         "baseline", "budget", "tool", "roots", "max-packages",
                         "max-installsize", "max-downloadsize", "max-new-packages",
                         "max-installsize-increase", "forbid", "x"])


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    top = [f'"{k}" = {draw(_TOML_VALUES)}' for k in draw(st.lists(_KEYS, max_size=4,
                                                                   unique=True))]
    budgets = []
    for _ in range(draw(st.integers(0, 2))):
        budgets.append("[[budget]]\n" + "\n".join(
            f'"{k}" = {draw(_TOML_VALUES)}' for k in draw(st.lists(_KEYS, max_size=4,
                                                                    unique=True))))
    raw = draw(st.sampled_from(["", "[tool.rpmgraph]\n", "tool = 1\n", "[[budget]\n",
                                "x = [" * 3]))
    return raw + "\n".join(top) + "\n" + "\n".join(budgets) + "\n"


@SETTINGS
@given(toml_documents(), st.sampled_from(["rpmgraph.toml", "pyproject.toml"]))
def test_config_parsing_takes_any_document(text: str, name: str) -> None:
    """Whatever the document, load_config gives a Config or a ConfigError: one message
    naming the file, never another exception."""
    import tempfile
    from pathlib import Path

    from rpmgraph.checks.config import ConfigError, load_config

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            load_config(path)
        except ConfigError as exc:
            assert str(exc).startswith(str(path)) or str(path) in str(exc)
            assert "\n" not in str(exc).strip() or "TOML" in str(exc)


@SETTINGS
@given(st.text(max_size=40) | st.from_regex(r"\s*[0-9]{1,30}(\.[0-9]{1,30})?\s*[A-Za-z]{0,4}\s*",
                                            fullmatch=True))
def test_config_sizes_parse_or_say_why(text: str) -> None:
    from rpmgraph.checks.units import MAX_SIZE, parse_size

    try:
        size = parse_size(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert 0 <= size <= MAX_SIZE
