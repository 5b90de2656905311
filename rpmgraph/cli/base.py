"""The click group, error mapping, and the options every command shares.

Source and policy options are gathered into one ``Session`` argument, so commands
take what they need from it instead of a dozen parameters each.
"""

from __future__ import annotations

import functools
import importlib
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from rpmgraph.errors import RpmgraphError

if TYPE_CHECKING:
    import solv
    from click.shell_completion import CompletionItem

    from rpmgraph.pool import LoadedPool, LoadOptions, Source
    from rpmgraph.resolve import ResolveOptions, Resolver, Root
    from rpmgraph.sources.modules import ModuleChoices
    from rpmgraph.sources.progress import Progress, ProgressBar

F = TypeVar("F", bound=Callable[..., Any])
EXIT_USAGE = 2
EXIT_SIGINT = 128 + signal.SIGINT
EXIT_SIGTERM = 128 + signal.SIGTERM
EXIT_PIPE = 128 + signal.SIGPIPE  # the reader went away: what a shell reports for SIGPIPE


_MESSAGE_LIMIT = 500  # characters of one warning or error line


def one_line(text: str) -> str:
    """Messages quote metadata and library errors: keep them to one line, no raw controls,
    and cut past ``_MESSAGE_LIMIT`` characters with a count of what was left out."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    line = " ".join(printable.split())
    if len(line) <= _MESSAGE_LIMIT:
        return line
    return f"{line[:_MESSAGE_LIMIT]}... ({len(line) - _MESSAGE_LIMIT} more characters)"


def is_quiet() -> bool:
    """-q was given: no warnings and no progress."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and bool(ctx.find_root().params.get("quiet"))


def warn(message: str) -> None:
    if not is_quiet():
        click.echo(f"rpmgraph: warning: {one_line(message)}", err=True)


def progress_factory() -> Progress:
    """Progress bars on stderr when it is a terminal (and not -q); otherwise none."""
    from rpmgraph.sources.progress import no_progress

    if is_quiet() or not sys.stderr.isatty():
        return no_progress

    def bar(description: str, total: int | None) -> ProgressBar:
        from tqdm import tqdm

        # Small files come and go too fast for a bar to help.
        return tqdm(desc=description, total=total, unit="B", unit_scale=True,
                    unit_divisor=1024, leave=False, delay=0.5,
                    disable=total is not None and total < (1 << 20))

    return bar


def count_progress(description: str, total: int) -> ProgressBar:
    """A bar counting graphs or files on stderr when it is a terminal (and not -q), shown
    once the work has taken half a second; otherwise nothing."""
    from rpmgraph.sources.progress import no_progress

    if is_quiet() or not sys.stderr.isatty():
        return no_progress(description, total)
    from tqdm import tqdm

    return tqdm(desc=description, total=total, unit=" graphs", leave=False, delay=0.5)


def complete_packages(ctx: click.Context, param: click.Parameter,
                      incomplete: str) -> list[CompletionItem]:
    """Shell completion of package arguments (``shell_complete=``): the names of the
    packages in the --repo folders and --rpm files given so far."""
    from rpmgraph.cli.completion import package_items

    return package_items(ctx, incomplete)


class UserError(click.ClickException):
    """Bad usage or bad input: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"rpmgraph: error: {one_line(self.format_message())}", err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that it unwinds (and cleans up) like Ctrl-C."""


def terminate_on_sigterm() -> None:
    def handler(signum: int, frame: object) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, handler)


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered for a reader that went
    away cannot fail again as the process ends."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's captured one)
        pass
    finally:
        os.close(devnull)


def show_version(ctx: click.Context, asked: bool) -> None:
    """--version, as click's version_option prints it; the version is looked up only now
    (importing importlib.metadata and finding the distribution take 0.02 s, which runs
    that do not import networkx, itself a user of it, need not spend)."""
    if asked and not ctx.resilient_parsing:
        import rpmgraph

        click.echo(f"rpmgraph, version {rpmgraph.__version__}")
        ctx.exit()


# Each command and the module that defines it. A module is imported when its command is
# asked for (or listed, by --help and completion), so that a run imports its own
# command's module and not the others' (about 1.5 ms of every run).
COMMAND_MODULES = {
    "graph": "rpmgraph.cli.graph",
    **dict.fromkeys(("tree", "why", "cycles"), "rpmgraph.cli.query"),
    **dict.fromkeys(("stats", "snapshot", "check", "diff"), "rpmgraph.cli.checks"),
    "cache": "rpmgraph.cli.cache",
    "groups": "rpmgraph.cli.groups",
    "modules": "rpmgraph.cli.modules",
    **dict.fromkeys(("builddep", "build-order", "rebuilds"), "rpmgraph.cli.build"),
    "completion": "rpmgraph.cli.completion",
}


class SectionedCommand(click.Command):
    """--help lists the command's own options first, then the options every command that
    reads packages shares (sources, then policy), each under a heading of its own."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {"Options": [], "Sources": [],
                                                      "Resolution": []}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx) if isinstance(param, click.Option) else None
            if record is not None:
                sections[_section_of(param.name)].append(record)
        for title, records in sections.items():
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def _section_of(name: str | None) -> str:
    if name in _SOURCE_NAMES:
        return "Sources"
    return "Resolution" if name in _POLICY_NAMES else "Options"


class RpmgraphGroup(click.Group):
    """Turns core errors and usage errors into UserError, unless --debug asks for tracebacks;
    Ctrl-C and SIGTERM exit with 130 and 143, as shells report them. Commands are
    imported when needed (``COMMAND_MODULES``)."""

    command_class = SectionedCommand

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | COMMAND_MODULES.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(module)  # its decorators register it on ``cli``
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str],
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        """``rpmgraph FILE.rpm...`` with no command: rpm's own rpmgraph (cli/rpmorder.py)."""
        commands = self.list_commands(ctx)
        if args and args[0] not in commands and _is_package_file(args[0]):
            from rpmgraph.cli.rpmorder import rpm_order

            return rpm_order.name, rpm_order, args
        if args and args[0] not in commands and not args[0].startswith("-"):
            import difflib

            close = difflib.get_close_matches(args[0], commands, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise click.UsageError(f"No such command {args[0]!r}{hint}", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            quiet_stdout()  # (head, less quitting): stop at once, say nothing
            raise SystemExit(EXIT_PIPE) from None
        except KeyboardInterrupt as exc:
            click.echo("rpmgraph: interrupted", err=True)
            raise SystemExit(EXIT_SIGTERM if isinstance(exc, Terminated) else EXIT_SIGINT) from None
        except RpmgraphError as exc:
            if ctx.params.get("debug"):
                raise
            raise UserError(str(exc)) from exc
        except click.UsageError as exc:
            # "rpmgraph graph", "rpmgraph cache list", or "rpmgraph" for the group's own
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            raise UserError(f"{exc.format_message()}{hint}") from exc


def _is_package_file(arg: str) -> bool:
    """An argument that names an .rpm file rather than a command."""
    return arg.lower().endswith(".rpm") or (not arg.startswith("-") and Path(arg).is_file())


@click.group(cls=RpmgraphGroup, subcommand_metavar="COMMAND [ARGS]... | FILE.rpm...",
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _param, asked: show_version(ctx, asked),
              help="Show the version and exit.")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option("-q", "--quiet", is_flag=True, help="No warnings and no progress bars on stderr.")
def cli(debug: bool, quiet: bool) -> None:
    """Draw and query RPM dependency graphs.

    Loads package metadata once (rpm-md repositories, .rpm files or the installed rpm
    database), resolves every dependency with libsolv, and writes the graph of each
    root package. 'rpmgraph COMMAND --help' shows each command's options and examples.

    'rpmgraph FILE.rpm...' (no command) does what rpm's own rpmgraph does: it prints the
    install-order graph of those packages as DOT, as /usr/bin/rpmgraph prints it.

    Exit status: 0 success, 1 a check (or diff --exit-code) found something, 2 bad usage
    or input, 141 the reader of the output went away (| head), 130/143 interrupted.
    """


# ---------------------------------------------------------------- the session


@dataclass(slots=True)
class Session:
    """Where packages come from and which question is asked; loads the pool once."""

    repos: tuple[Path | str, ...]
    rpms: tuple[Path, ...]
    installed: bool
    root: Path | None
    dbpath: Path | None
    arch: str | None
    policy: str | None = None
    kinds: str | None = None
    no_weak: bool = False
    all_versions: bool = False
    best: bool = True
    with_optional: bool = False
    repofiles: tuple[Path, ...] = ()
    reposdirs: tuple[Path, ...] = ()
    system_repos: bool = False
    enablerepo: tuple[str, ...] = ()
    disablerepo: tuple[str, ...] = ()
    releasever: str | None = None
    cachedir: Path | None = None
    cache_only: bool = False
    refresh: bool = False
    modules: tuple[str, ...] = ()  # --module NAME:STREAM
    module_hotfixes: tuple[str, ...] = ()  # --module-hotfixes NAME: repositories never hidden
    root_specs: tuple[str, ...] = ()  # the command's roots: @NAME:STREAM enables a stream
    _loaded: LoadedPool | None = field(default=None, repr=False)
    _warned: bool = field(default=False, repr=False)

    @property
    def only_installed(self) -> bool:
        return not (self.repos or self.rpms or self.repofiles or self.reposdirs
                    or self.system_repos)

    def load(self) -> LoadedPool:
        if self._loaded is None:
            from rpmgraph.pool import build_pool, require_packages

            self._loaded = build_pool(self.sources(), self.arch, self.root, self.dbpath, warn,
                                      self.load_options(), modules=self.module_choices())
            require_packages(self._loaded)
        return self._loaded

    def sources(self) -> list[Source]:
        from rpmgraph.pool import Source, SourceKind, default_arch
        from rpmgraph.sources.repofiles import RepoConfigOptions, parse_repo_option

        sources = [Source(SourceKind.REPO, r) if isinstance(r, Path)
                   else Source(SourceKind.REPO, spec=parse_repo_option(r)) for r in self.repos]
        configured = RepoConfigOptions(self.repofiles, self.reposdirs, self.system_repos,
                                       self.enablerepo, self.disablerepo, self.releasever)
        sources += [Source(SourceKind.REPO, spec=s)
                    for s in configured.specs(self.arch or default_arch())]
        sources = _mark_hotfixes(sources, self.module_hotfixes)
        sources += [Source(SourceKind.RPM, p) for p in self.rpms]
        if self.installed or self.only_installed:
            sources.append(Source(SourceKind.INSTALLED))
        return sources

    def load_options(self) -> LoadOptions:
        from rpmgraph.pool import LoadOptions

        if self.cache_only and self.refresh:
            raise click.UsageError("--cache-only and --refresh exclude each other")
        return LoadOptions(cachedir=self.cachedir, cache_only=self.cache_only,
                           refresh=self.refresh, progress=progress_factory())

    def module_choices(self) -> ModuleChoices:
        """--module streams, and those of roots ``@NAME:STREAM[/PROFILE]``, enabled."""
        from rpmgraph.sources.modules import ModuleChoices, root_streams

        return ModuleChoices(enabled=self.modules, roots=tuple(root_streams(self.root_specs)))

    def options(self) -> ResolveOptions:
        from rpmgraph.model import Kind
        from rpmgraph.resolve import Policy, ResolveOptions

        default = Policy.ALL if self.only_installed else Policy.INSTALL
        try:
            parsed = Kind.parse_list(self.kinds) if self.kinds is not None else None
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--kinds") from None
        policy = Policy(self.policy) if self.policy else default
        never = sorted(k.value for k in parsed or () if k in (Kind.SUGGESTS, Kind.ENHANCES))
        if never and policy is Policy.INSTALL and not self._warned:
            self._warned = True
            warn(f"--kinds {','.join(never)}: dnf never installs Suggests or Enhances, so "
                 "under --policy install they add nothing; --policy all follows them")
        return ResolveOptions(policy=policy, kinds=parsed, weak=not self.no_weak,
                              all_versions=self.all_versions, best=self.best)

    def resolver(self, options: ResolveOptions | None = None) -> Resolver:
        from rpmgraph.resolve import Resolver

        chosen = options or self.options()  # parse options before the slow load
        return Resolver(self.load(), chosen, warn)

    def roots(self, specs: list[str]) -> list[Root]:
        """Roots as dnf reads them (one per package name of a glob; see read_roots)."""
        from rpmgraph.resolve import read_roots

        return read_roots(self.load(), specs, self.with_optional, warn)

    def packages(self, specs: list[str]) -> list[solv.XSolvable]:
        """The packages the specs name (the newest build of each name.arch)."""
        from rpmgraph.resolve import find_roots

        return find_roots(self.load(), specs, self.with_optional, warn)


def _mark_hotfixes(sources: list[Source], names: tuple[str, ...]) -> list[Source]:
    """The repositories named by --module-hotfixes, marked so (each name must be one)."""
    import dataclasses

    from rpmgraph.errors import SourceError

    known = {s.repo_spec().default_name() for s in sources}
    unknown = sorted(set(names) - known)
    if unknown:
        raise SourceError(f"--module-hotfixes {unknown[0]}: no repository has that name "
                          f"(repositories: {', '.join(sorted(known)) or 'none'})")
    return [dataclasses.replace(s, spec=dataclasses.replace(s.repo_spec(),
                                                            module_hotfixes=True))
            if s.repo_spec().default_name() in names else s for s in sources]


def _probe(decorator: Callable[[Any], Any]) -> click.Parameter:
    """The parameter an option decorator adds (to name the help's sections)."""
    probe: Any = decorator(lambda: None)
    params: list[click.Parameter] = probe.__click_params__
    return params[-1]


_SOURCE_OPTIONS = [
    click.option("--repo", "repos", multiple=True, metavar="[NAME=]PATH|URL",
                 help="rpm-md repository: a folder holding repodata/repomd.xml, or an "
                 "http, https or file URL; NAME= names it. Repeatable."),
    click.option("--repofile", "repofiles", multiple=True, metavar="FILE",
                 type=click.Path(path_type=Path),
                 help="yum/dnf .repo file: its enabled repositories. Repeatable."),
    click.option("--reposdir", "reposdirs", multiple=True, metavar="DIR",
                 type=click.Path(path_type=Path),
                 help="Folder of .repo files, like /etc/yum.repos.d. Repeatable."),
    click.option("--system-repos", is_flag=True,
                 help="This machine's dnf/yum repositories (/etc/yum.repos.d, "
                 "/etc/distro.repos.d, dnf.conf's reposdir and vars)."),
    click.option("--enablerepo", multiple=True, metavar="GLOB",
                 help="Also use these repositories of the .repo files (ids, globs, "
                 "comma separated). Applied after --disablerepo."),
    click.option("--disablerepo", multiple=True, metavar="GLOB",
                 help="Leave out these repositories of the .repo files ('*' for all)."),
    click.option("--releasever", metavar="VER",
                 help="Value of $releasever in .repo files (default: VERSION_ID of "
                 "/etc/os-release)."),
    click.option("--cachedir", type=click.Path(path_type=Path), metavar="DIR",
                 help="Metadata cache folder (default: $XDG_CACHE_HOME/rpmgraph)."),
    click.option("-C", "--cache-only", is_flag=True,
                 help="Use only cached metadata of remote repositories; no network."),
    click.option("--refresh", is_flag=True,
                 help="Download and read all metadata again, ignoring the cache."),
    click.option("--rpm", "rpms", multiple=True, type=click.Path(path_type=Path),
                 help=".rpm file, or folder searched for .rpm files. Repeatable."),
    click.option("--installed", is_flag=True,
                 help="The installed rpm database (the default when no source is given)."),
    click.option("--root", type=click.Path(path_type=Path),
                 help="Use the rpm database under this root folder, as rpm --root does."),
    click.option("--dbpath", type=click.Path(path_type=Path),
                 help="rpm database path (inside --root), as rpm --dbpath does."),
    click.option("--module", "modules", multiple=True, metavar="NAME:STREAM",
                 help="Enable this module stream (and the streams it requires), as 'dnf "
                 "module enable' does: its packages replace the default stream's. Roots "
                 "@NAME:STREAM[/PROFILE] enable theirs too. Repeatable."),
    click.option("--module-hotfixes", "module_hotfixes", multiple=True, metavar="NAME",
                 help="Module filtering never hides the packages of this repository (its "
                 "name: NAME= of --repo, the folder's name, or a .repo section), as "
                 "module_hotfixes=1 in a .repo file. Repeatable."),
    click.option("--arch", help="Architecture to resolve for (default: this machine's), "
                 "with the arches libsolv's policy allows beside it (i686 on x86_64) and "
                 "noarch; packages of other architectures are left out."),
]
_POLICY_OPTIONS = [
    click.option("--policy", type=click.Choice(["install", "all"]), default=None,
                 help="install: what 'dnf install ROOT' would install (default for "
                 "repositories and .rpm files). all: every provider of every dependency, "
                 "as 'dnf repoquery --requires --resolve --recursive' (default for "
                 "--installed alone)."),
    click.option("--kinds", metavar="LIST",
                 help="Dependency kinds to follow, comma separated: requires, "
                 "pre-requires, recommends, suggests, supplements, enhances (default: "
                 "requires,recommends,supplements under install; requires under all). "
                 "'requires' includes pre-requires. dnf never installs suggests or "
                 "enhances: under install they add nothing (and are warned about)."),
    click.option("--no-weak", is_flag=True,
                 help="install policy: do not install weak dependencies (Recommends, "
                 "Supplements), like dnf --setopt=install_weak_deps=False."),
    click.option("--all-versions", is_flag=True,
                 help="all policy: older builds also count as providers."),
    click.option("--best/--nobest", default=True,
                 help="install policy: --best (default, as dnf5 and RHEL's dnf.conf) "
                 "installs the newest build of each root or fails and says why; --nobest "
                 "(dnf 4's built-in default) installs the newest build that can be "
                 "installed, with a note saying why the newest could not."),
    click.option("--with-optional", is_flag=True,
                 help="@GROUP roots: also the group's optional packages, like "
                 "'dnf group install --with-optional'."),
]
_SESSION_FIELDS = ("repos", "rpms", "installed", "root", "dbpath", "arch", "policy", "kinds",
                   "no_weak", "all_versions", "best", "repofiles", "reposdirs", "system_repos",
                   "enablerepo", "disablerepo", "releasever", "cachedir", "cache_only",
                   "refresh", "with_optional", "modules", "module_hotfixes")
# Command parameters holding root specs: a root @NAME:STREAM enables that stream.
_ROOT_PARAMS = ("roots", "package", "target", "base")  # specs whose @NAME:STREAM count


_SOURCE_NAMES = frozenset(o.name for o in (_probe(d) for d in _SOURCE_OPTIONS))
_POLICY_NAMES = frozenset(o.name for o in (_probe(d) for d in _POLICY_OPTIONS))


def session_options(with_policy: bool = True) -> Callable[[F], F]:
    """Add the source (and policy) options; the command receives them as ``session``."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name in _SESSION_FIELDS if name in kwargs}
            specs = [s for p in _ROOT_PARAMS if isinstance(v := kwargs.get(p), (str, tuple))
                     for s in ((v,) if isinstance(v, str) else v)]
            return func(*args, session=Session(**values, root_specs=tuple(specs)), **kwargs)

        options = _SOURCE_OPTIONS + (_POLICY_OPTIONS if with_policy else [])
        return cast(F, with_options(wrapper, options))

    return decorate


def with_options(func: Callable[..., Any], options: list[Callable[[Any], Any]]) -> Any:
    """Apply click option decorators in the order they are listed (first shown first)."""
    decorated: Any = func
    for option in reversed(options):
        decorated = option(decorated)
    return decorated
