"""What the gate's commands (stats, snapshot, check, diff) share: their examples, -o and
--format, and writing the result (the library's answers come from ``cli/sides.py``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
EXIT_VIOLATIONS = 1
_EXTENSIONS = {"json": "json", "md": "markdown", "markdown": "markdown", "txt": "text",
               "xml": "junit", "dot": "dot", "gv": "dot", "svg": "svg", "png": "png",
               "pdf": "pdf"}

STATS_EXAMPLES = """
\b
Examples:
  rpmgraph stats --repo sample_repos/essex openstack-nova
  rpmgraph stats --repo sample_repos/essex 'openstack-*' --top 5 --format markdown
  rpmgraph stats --repo sample_repos/folsom openstack-nova-compute --no-weak -f json
"""
SNAPSHOT_EXAMPLES = """
\b
Examples:
  rpmgraph snapshot --repo sample_repos/essex 'openstack-*' -o rpmgraph.lock.json
  rpmgraph snapshot --repo sample_repos/essex openstack-nova --no-weak -o nova.lock.json
"""
CHECK_EXAMPLES = """
\b
Examples:
  rpmgraph check                               # reads ./rpmgraph.toml
  rpmgraph check --config ci/rpmgraph.toml --format junit -o rpmgraph-junit.xml
  rpmgraph check --format markdown -o comment.md
  rpmgraph check --update-baseline             # after a deliberate change
\b
rpmgraph.toml:
  repos = ["sample_repos/essex"]
  baseline = "rpmgraph.lock.json"
  [[budget]]
  roots = "openstack-*"
  max-packages = 120
  max-installsize = "250 MiB"
  max-new-packages = 0
  forbid = ["xorg-x11-*", "gtk*"]
"""
DIFF_EXAMPLES = """
\b
Examples:
  rpmgraph diff --old-repo sample_repos/essex --new-repo sample_repos/folsom openstack-nova
  rpmgraph diff --old-baseline rpmgraph.lock.json --repo sample_repos/folsom 'openstack-*'
  rpmgraph diff --old-repo sample_repos/essex --new-repo sample_repos/folsom \\
      openstack-nova -o nova-diff.svg
  rpmgraph diff --old-repo old/ --repo new/ openstack-nova --format markdown
"""


def report_options(choices: Sequence[str]) -> Callable[[F], F]:
    """-o FILE and --format for reports; the format follows -o's extension when not given."""

    def decorate(func: F) -> F:
        func = click.option("-f", "--format", "fmt", type=click.Choice(list(choices)),
                            help=f"Report format (default: from -o's extension, else "
                            f"{choices[0]}).")(func)
        return click.option("-o", "--output", default="-", metavar="FILE",
                            help="Write to FILE ('-' for stdout, the default).")(func)

    return decorate


def report_format(output: str, fmt: str | None, choices: Sequence[str]) -> str:
    if fmt is not None:
        return fmt
    found = _EXTENSIONS.get(Path(output).suffix.lstrip(".").lower()) if output != "-" else None
    return found if found is not None and found in choices else choices[0]


def refuse_terminal(output: str, fmt: str) -> None:
    """Pictures that are not text (png, pdf) never go to a terminal."""
    from rpmgraph.render import FORMATS

    picture = FORMATS.get(fmt)
    if picture is not None and picture.binary and output == "-" and sys.stdout.isatty():
        raise click.UsageError(f"will not write {fmt} to a terminal; use -o FILE")


def emit(output: str, data: str | bytes) -> None:
    from rpmgraph.safefiles import write_output

    write_output(output, data.encode() if isinstance(data, str) else data)
