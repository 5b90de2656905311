"""The command line: parse options, run the pipeline, print, map errors to exit codes.

Heavy modules (libsolv, rpm, networkx, pydot) are imported inside the commands so
that ``--help`` and completion stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from rpmgraph import __version__
from rpmgraph.errors import RpmgraphError
from rpmgraph.render import FORMATS, Format, format_for_path

if TYPE_CHECKING:
    from rpmgraph.graph import DepGraph
    from rpmgraph.pool import LoadedPool
    from rpmgraph.resolve import ResolveOptions

F = TypeVar("F", bound=Callable[..., Any])
EXIT_USAGE = 2


def one_line(text: str) -> str:
    """Messages quote metadata and library errors: keep them to one line, no raw controls."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(printable.split())


def warn(message: str) -> None:
    click.echo(f"rpmgraph: warning: {one_line(message)}", err=True)


class UserError(click.ClickException):
    """Bad usage or bad input: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"rpmgraph: error: {one_line(self.format_message())}", err=True)


class RpmgraphGroup(click.Group):
    """Turns core errors and usage errors into UserError, unless --debug asks for tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RpmgraphError as exc:
            if ctx.params.get("debug"):
                raise
            raise UserError(str(exc)) from exc
        except click.UsageError as exc:
            command = exc.ctx.command.name if exc.ctx else None
            hint = f" (see 'rpmgraph {command} --help')" if command else ""
            raise UserError(f"{exc.format_message()}{hint}") from exc


# ---------------------------------------------------------------- shared options


def source_options(func: F) -> F:
    """--repo/--rpm/--installed and friends: where packages come from (any mix)."""
    options = [
        click.option("--repo", "repos", multiple=True, type=click.Path(path_type=Path),
                     help="rpm-md repository folder (holding repodata/repomd.xml). Repeatable."),
        click.option("--rpm", "rpms", multiple=True, type=click.Path(path_type=Path),
                     help=".rpm file, or folder searched for .rpm files. Repeatable."),
        click.option("--installed", is_flag=True,
                     help="The installed rpm database (the default when no source is given)."),
        click.option("--root", type=click.Path(path_type=Path),
                     help="Use the rpm database under this root folder, as rpm --root does."),
        click.option("--dbpath", type=click.Path(path_type=Path),
                     help="rpm database path (inside --root), as rpm --dbpath does."),
        click.option("--arch", help="Architecture to resolve for (default: this machine's); "
                     "packages of other architectures are left out, noarch always counts."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def policy_options(func: F) -> F:
    """--policy/--kinds/--no-weak/--all-versions: which question the graph answers."""
    options = [
        click.option("--policy", type=click.Choice(["install", "all"]), default=None,
                     help="install: what 'dnf install ROOT' would install (default for "
                     "repositories and .rpm files). all: every provider of every dependency, "
                     "as 'dnf repoquery --requires --resolve --recursive' (default for "
                     "--installed alone)."),
        click.option("--kinds", metavar="LIST",
                     help="Dependency kinds to follow, comma separated: requires, "
                     "pre-requires, recommends, suggests, supplements, enhances (default: "
                     "requires,recommends,supplements under install; requires under all). "
                     "'requires' includes pre-requires."),
        click.option("--no-weak", is_flag=True,
                     help="install policy: do not install weak dependencies (Recommends, "
                     "Supplements), like dnf --setopt=install_weak_deps=False."),
        click.option("--all-versions", is_flag=True,
                     help="all policy: older builds also count as providers."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@dataclass(frozen=True, slots=True)
class SourceArgs:
    repos: tuple[Path, ...]
    rpms: tuple[Path, ...]
    installed: bool
    root: Path | None
    dbpath: Path | None
    arch: str | None

    @property
    def only_installed(self) -> bool:
        return not self.repos and not self.rpms


def load_sources(args: SourceArgs) -> LoadedPool:
    from rpmgraph.pool import Source, SourceKind, build_pool, require_packages

    sources = [Source(SourceKind.REPO, p) for p in args.repos]
    sources += [Source(SourceKind.RPM, p) for p in args.rpms]
    if args.installed or args.only_installed:
        sources.append(Source(SourceKind.INSTALLED))
    loaded = build_pool(sources, args.arch, args.root, args.dbpath, warn)
    require_packages(loaded)
    return loaded


def resolve_options(args: SourceArgs, policy: str | None, kinds: str | None, no_weak: bool,
                    all_versions: bool) -> ResolveOptions:
    from rpmgraph.model import Kind
    from rpmgraph.resolve import Policy, ResolveOptions

    default = Policy.ALL if args.only_installed else Policy.INSTALL
    try:
        parsed = Kind.parse_list(kinds) if kinds is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--kinds") from None
    return ResolveOptions(policy=Policy(policy) if policy else default, kinds=parsed,
                          weak=not no_weak, all_versions=all_versions)


# ---------------------------------------------------------------- commands


@click.group(cls=RpmgraphGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="rpmgraph")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
def cli(debug: bool) -> None:
    """Draw and query RPM dependency graphs.

    Loads package metadata once (rpm-md repositories, .rpm files or the installed rpm
    database), resolves every dependency with libsolv, and writes the graph of each
    root package.
    """


GRAPH_EXAMPLES = """
\b
Examples:
  rpmgraph graph --repo sample_repos/essex openstack-nova -o nova.svg
  rpmgraph graph --repo sample_repos/essex 'openstack-*' -O out/ --format svg
  rpmgraph graph --repo sample_repos/essex --policy all python-nova --format json
  rpmgraph graph --rpm ./RPMS/ /usr/bin/nova-manage -o nova.dot
  rpmgraph graph --installed --root /srv/chroot bash --depth 2
"""


@cli.command(epilog=GRAPH_EXAMPLES)
@click.argument("roots", nargs=-1, required=True)
@source_options
@policy_options
@click.option("--depth", type=click.IntRange(min=0), help="Cut the graph N levels from the roots.")
@click.option("-o", "--output", metavar="FILE",
              help="Write one graph of all roots to FILE ('-' for stdout, the default); the "
              "format follows the extension unless --format is given.")
@click.option("-O", "--output-dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Write one file per root package into DIR, named after the package.")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(FORMATS)),
              help="Output format (default: from -o's extension; dot when it has none).")
def graph(roots: tuple[str, ...], repos: tuple[Path, ...], rpms: tuple[Path, ...],
          installed: bool, root: Path | None, dbpath: Path | None, arch: str | None,
          policy: str | None, kinds: str | None, no_weak: bool, all_versions: bool,
          depth: int | None, output: str | None, output_dir: Path | None,
          fmt: str | None) -> None:
    """Write the dependency graph of ROOT packages.

    A ROOT is a package name, a glob ('openstack-*', '*' for every package), a NEVRA
    (openstack-nova-2012.1-6.fc17.noarch) or a capability (/usr/bin/nova-manage,
    'python(abi) = 2.7').
    """
    if output and output_dir:
        raise click.UsageError("-o and -O cannot be used together")
    chosen = _choose_format(fmt, output)
    args = SourceArgs(repos, rpms, installed, root, dbpath, arch)
    options = resolve_options(args, policy, kinds, no_weak, all_versions)
    loaded = load_sources(args)
    from rpmgraph.resolve import Resolver, find_roots

    resolver = Resolver(loaded, options, warn)
    found = find_roots(loaded, list(roots))
    if output_dir is None:
        graphs = [("-" if output is None else output, resolver.graph(found))]
    else:
        graphs = _per_root_graphs(resolver, found, output_dir, chosen)
    graphs = [(target, _cut(g, depth)) for target, g in graphs]
    _warn_unresolved([g for _, g in graphs])
    _write_all(graphs, chosen)


def _choose_format(fmt: str | None, output: str | None) -> Format:
    if fmt is not None:
        return FORMATS[fmt]
    if output and output != "-" and "." in Path(output).name:
        found = format_for_path(output)
        if found is None:
            raise click.UsageError(f"cannot tell the format of {output!r} from its extension; "
                                   f"pass --format ({', '.join(sorted(FORMATS))})")
        return found
    return FORMATS["dot"]


def _cut(graph: DepGraph, depth: int | None) -> DepGraph:
    from rpmgraph.graph import cut_depth

    return graph if depth is None else cut_depth(graph, depth)


def _per_root_graphs(resolver: Any, roots: list[Any], folder: Path,
                     fmt: Format) -> list[tuple[str, DepGraph]]:
    """One graph per root; files named after the package, or its NEVRA when names repeat."""
    from rpmgraph.output import prepare_folder, safe_filename
    from rpmgraph.pool import to_package

    prepare_folder(folder)
    packages = [to_package(r) for r in roots]
    names = [p.name for p in packages]
    graphs = []
    for solvable, package in zip(roots, packages, strict=True):
        stem = package.name if names.count(package.name) == 1 else package.nevra
        target = str(folder / safe_filename(stem, fmt.extension))
        graphs.append((target, resolver.graph([solvable])))
    return graphs


def _warn_unresolved(graphs: list[DepGraph]) -> None:
    """One line for the whole run: how many dependencies nothing satisfies, and the first."""
    seen: dict[tuple[str, str], str] = {}
    for g in graphs:
        for node, data in g.nodes(data=True):
            for dep in data["unresolved"]:
                seen.setdefault((node, dep.capability), dep.kind.value)
    if seen:
        (node, capability), kind = sorted(seen.items())[0]
        more = f" and {len(seen) - 1} more" if len(seen) > 1 else ""
        warn(f"{len(seen)} unresolved dependencies, marked in the output: "
             f"{node} {kind} {capability!r}{more}")


def _write_all(graphs: list[tuple[str, DepGraph]], fmt: Format) -> None:
    """Render (Graphviz runs in parallel, one process per graph) and write each file whole."""
    from rpmgraph.output import write_output

    if fmt.binary and any(t == "-" for t, _ in graphs) and sys.stdout.isatty():
        raise click.UsageError(f"will not write {fmt.name} to a terminal; use -o FILE")
    with ThreadPoolExecutor() as pool:
        rendered = list(pool.map(lambda item: fmt.render(item[1]), graphs))
    for (target, _), data in zip(graphs, rendered, strict=True):
        write_output(target, data)


# ---------------------------------------------------------------- entry point


def main() -> None:
    cli(prog_name="rpmgraph")


if __name__ == "__main__":
    main()
