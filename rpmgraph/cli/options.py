"""The options every command that reads packages shares: where packages come from
(sources) and which question is asked (policy), gathered into one ``Session``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from rpmgraph.cli.session import Session

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[Any], Any]
# Command parameters holding root specs: a root @NAME:STREAM enables that stream.
_ROOT_PARAMS = ("roots", "package", "target", "base")


def complete_packages(ctx: click.Context, param: click.Parameter,
                      incomplete: str) -> list[CompletionItem]:
    """Shell completion of package arguments (``shell_complete=``): the names of the
    packages in the --repo folders and --rpm files given so far."""
    from rpmgraph.cli.completion import package_items

    return package_items(ctx, incomplete)


SOURCE_OPTIONS: list[Decorator] = [
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
POLICY_OPTIONS: list[Decorator] = [
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


def _names(options: list[Decorator]) -> frozenset[str]:
    """The names of the parameters the option decorators add (Session's fields)."""
    probe: Any = with_options(lambda: None, options)
    return frozenset(p.name for p in probe.__click_params__)


def session_options(with_policy: bool = True) -> Callable[[F], F]:
    """Add the source (and policy) options; the command receives them as ``session``, a
    ``Session`` whose fields are named as the options are."""
    options = SOURCE_OPTIONS + (POLICY_OPTIONS if with_policy else [])
    names = _names(options)

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name in names}
            specs = [s for p in _ROOT_PARAMS if isinstance(v := kwargs.get(p), (str, tuple))
                     for s in ((v,) if isinstance(v, str) else v)]
            return func(*args, session=Session(**values, root_specs=tuple(specs)), **kwargs)

        return cast(F, with_options(wrapper, options))

    return decorate


def with_options(func: Callable[..., Any], options: list[Decorator]) -> Any:
    """Apply click option decorators in the order they are listed (first shown first)."""
    decorated: Any = func
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


SOURCE_NAMES = _names(SOURCE_OPTIONS)
POLICY_NAMES = _names(POLICY_OPTIONS)
