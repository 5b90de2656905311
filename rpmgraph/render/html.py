"""One self-contained, interactive HTML page: pan, zoom, search, click for details.

Everything the page needs is inside it: the bundled cytoscape.js (assets/, fetched
from npm by scripts/update-assets.sh), the page's own script and style, and the graph
as JSON in a ``<script type="application/json">``. A Content-Security-Policy forbids
loading anything else, so opening the file fetches nothing from the network.

Node positions are computed here: by Graphviz ``dot`` for graphs people read whole
(it draws the same picture as the SVG), by a layered layout for big graphs, which is
instant at any size (levels from the roots, each level wrapped into columns).

Metadata is untrusted text: in the JSON, ``<``, ``>`` and ``&`` are written as
``\\u003c``... so nothing can close the script element or open a comment; in the
HTML it goes through ``html.escape``. The page names every node twice over: in the
data and in a package list that reads without JavaScript.
"""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import subprocess
from importlib import resources
from typing import Any

from rpmgraph.depgraph import DepGraph, levels
from rpmgraph.render.dot import human_size, quote
from rpmgraph.render.json import graph_document
from rpmgraph.render.style import ROLES, Style, node_fill, node_roles, repo_fills

GRAPHVIZ_LIMIT = 300  # nodes; bigger graphs get the layered layout
_SCALE = 72.0  # Graphviz inches to page pixels
_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data: blob:; connect-src 'none'; form-action 'none'; base-uri 'none'")


def to_html(graph: DepGraph, style: Style | None = None) -> str:
    style = style or Style()
    document = page_data(graph, style)
    title = _title(graph)
    return _template().format(
        csp=html.escape(_CSP),
        title=html.escape(title),
        heading=html.escape(title),
        summary=html.escape(_summary(graph)),
        package_list=_package_list(document),
        css=_asset("page.css"),
        data=script_json(document),
        cytoscape=_inline_script(_asset("cytoscape.min.js")),
        script=_inline_script(_asset("page.js")),
    )


def page_data(graph: DepGraph, style: Style) -> dict[str, Any]:
    """The rpmgraph-graph JSON document plus what the page draws: role, fill, position."""
    document = graph_document(graph)
    roles = node_roles(graph)
    repos = repo_fills(graph)
    positions = layout_positions(graph, style)
    for node in document["nodes"]:
        data = graph.nodes[node["id"]]
        role = roles[node["id"]]
        x, y = positions[node["id"]]
        node.update(role=role, fill=node_fill(data, role, style, repos),
                    size=human_size(data.get("installsize", 0)), x=round(x, 1),
                    y=round(y, 1), label=_label(node))
        if data.get("status"):
            node["status"] = data["status"]
    document["roles"] = {r: {"fill": f, "text": t} for r, (f, t) in ROLES.items()}
    document["repos"] = repos
    document["color_by"] = style.color_by
    return document


def script_json(document: dict[str, Any]) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' at all, so no '</script' or '<!--'."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def layout_positions(graph: DepGraph, style: Style) -> dict[str, tuple[float, float]]:
    """Graphviz dot's positions for readable sizes, else (or without Graphviz) layered."""
    if 0 < graph.number_of_nodes() <= GRAPHVIZ_LIMIT:
        found = _graphviz_positions(graph, style.rankdir)
        if found is not None:
            return found
    return layered_positions(graph, style.rankdir)


def _graphviz_positions(graph: DepGraph,
                        rankdir: str) -> dict[str, tuple[float, float]] | None:
    """Lay the graph out with ``dot -Tplain`` under short ids (n0, n1, ...)."""
    program = shutil.which("dot")
    if program is None:
        return None
    ids = {node: f"n{i}" for i, node in enumerate(sorted(graph.nodes))}
    lines = [f"digraph g {{ rankdir={rankdir}; nodesep=0.3; ranksep=0.8;",
             "node [shape=box, fontsize=13, fontname=Helvetica, margin=\"0.15,0.08\"];"]
    lines += [f"{ids[n]} [label={quote(_node_text(d))}];"
              for n, d in sorted(graph.nodes(data=True))]
    lines += [f"{ids[s]} -> {ids[t]};" for s, t in sorted(graph.edges)]
    lines.append("}")
    try:
        result = subprocess.run([program, "-Tplain"], input="\n".join(lines).encode(),
                                capture_output=True, check=True, timeout=60)
    except (subprocess.SubprocessError, OSError):
        return None
    by_id = {v: k for k, v in ids.items()}
    found: dict[str, tuple[float, float]] = {}
    for line in result.stdout.decode(errors="replace").splitlines():
        parts = line.split()
        if len(parts) > 3 and parts[0] == "node" and parts[1] in by_id:
            # Graphviz's y grows upwards, the page's downwards.
            found[by_id[parts[1]]] = (float(parts[2]) * _SCALE, -float(parts[3]) * _SCALE)
    return found if len(found) == graph.number_of_nodes() else None


def layered_positions(graph: DepGraph, rankdir: str = "LR",
                      ) -> dict[str, tuple[float, float]]:
    """Columns by level from the roots (the unreached last), each wrapped so that no
    column is much taller than the square root of the graph's size."""
    level = levels(graph)
    last = max(level.values(), default=-1) + 1
    columns: dict[int, list[str]] = {}
    for node in sorted(graph.nodes):
        columns.setdefault(level.get(node, last), []).append(node)
    height = max(12, math.ceil(math.sqrt(graph.number_of_nodes()) * 1.5))
    found: dict[str, tuple[float, float]] = {}
    x = 0.0
    for _, members in sorted(columns.items()):
        wraps = math.ceil(len(members) / height)
        for i, node in enumerate(members):
            column, row = divmod(i, height)
            top = (min(height, len(members)) - 1) / 2
            found[node] = (x + column * 230.0, (row - top) * 44.0)
        x += wraps * 230.0 + 120.0
    if rankdir in ("TB", "BT"):
        found = {n: (y * 4.0, x / 4.0) for n, (x, y) in found.items()}
    if rankdir in ("RL", "BT"):
        found = {n: (-x, -y) if rankdir == "RL" else (x, -y) for n, (x, y) in found.items()}
    return found


def _node_text(data: dict[str, Any]) -> str:
    evr = f"{data['epoch']}:" if data.get("epoch") else ""
    version = f"{evr}{data['version']}-{data['release']}" if data.get("version") else ""
    return f"{data.get('name', '')}\n{version}".strip()


def _label(node: dict[str, Any]) -> str:
    return _node_text(node)


def _title(graph: DepGraph) -> str:
    roots: list[str] = graph.graph["roots"]
    shown = ", ".join(roots[:3]) + (f" and {len(roots) - 3} more" if len(roots) > 3 else "")
    return f"rpmgraph: {shown or 'dependency graph'}"


def _summary(graph: DepGraph) -> str:
    sources = ", ".join(graph.graph.get("sources", []))
    return (f"{graph.number_of_nodes()} packages, {graph.number_of_edges()} dependencies; "
            f"policy {graph.graph['policy']}" + (f"; from {sources}" if sources else ""))


def _package_list(document: dict[str, Any]) -> str:
    """Every node as a button in a list: readable, searchable and clickable without the
    canvas, and the page's plain-HTML record of what the graph holds."""
    return "\n".join(_list_item(n) for n in document["nodes"])


def _list_item(node: dict[str, Any]) -> str:
    """``<li><button data-id=NEVRA>name <span>rest of the NEVRA</span></button></li>``."""
    nevra, name = node["id"], node.get("name", "")
    rest = nevra[len(name) + 1:] if name and nevra.startswith(name + "-") else ""
    text = html.escape(name) + f' <span class="evr">{html.escape(rest)}</span>' if rest \
        else html.escape(nevra)
    return (f'<li data-role="{html.escape(node["role"])}"><button type="button" '
            f'data-id="{html.escape(nevra)}" title="{html.escape(nevra)}">{text}</button></li>')


def _inline_script(code: str) -> str:
    """Script text that cannot end its element early ('</script' in a string literal)."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _asset(name: str) -> str:
    return (resources.files("rpmgraph.render") / "assets" / name).read_text(encoding="utf-8")


def _template() -> str:
    return _asset("page.html")
