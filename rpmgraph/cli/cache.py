"""``rpmgraph cache list|clean``: what the metadata cache holds, and emptying it."""

from __future__ import annotations

import fnmatch
import time
from pathlib import Path

import click

from rpmgraph.cli.base import cli

_CACHEDIR = click.option("--cachedir", type=click.Path(path_type=Path), metavar="DIR",
                         help="Metadata cache folder (default: $XDG_CACHE_HOME/rpmgraph).")


@cli.group()
def cache() -> None:
    """The metadata cache: downloaded metadata and libsolv .solv files.

    A repository's cache is keyed by the sha256 of its repomd.xml: while that does
    not change, rpmgraph loads the .solv files and parses no XML.
    """


@cache.command("list", epilog="""
\b
Examples:
  rpmgraph cache list
  rpmgraph cache list --cachedir /var/cache/rpmgraph
""")
@_CACHEDIR
def list_(cachedir: Path | None) -> None:
    """One line per cached repository: name, size, last update, location."""
    from rpmgraph.sources.cache import Cache

    store = Cache(cachedir)
    entries = store.entries()
    if not entries:
        click.echo(f"{store.root}: empty", err=True)
        return
    for e in entries:
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(e.updated))
        click.echo(f"{_visible(e.name)}\t{_size(e.size)}\t{stamp}\t{_visible(e.location)}")


@cache.command(epilog="""
\b
Examples:
  rpmgraph cache clean              # everything
  rpmgraph cache clean 'essex*'     # the repositories named essex...
""")
@_CACHEDIR
@click.argument("names", nargs=-1, metavar="[NAME|GLOB]...")
def clean(cachedir: Path | None, names: tuple[str, ...]) -> None:
    """Remove the cache of the named repositories (globs), or of all of them."""
    from rpmgraph.sources.cache import Cache

    store = Cache(cachedir)
    chosen = [e for e in store.entries()
              if not names or any(fnmatch.fnmatchcase(e.name, n) for n in names)]
    for entry in chosen:
        store.clean(entry)
    click.echo(f"removed the cache of {len(chosen)} repositories from {store.root}", err=True)


def _visible(text: str) -> str:
    """Names and locations come from .repo files: no terminal control sequence, tab or
    newline reaches the terminal (shown as \\xNN)."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"
