"""rpmgraph: RPM dependency graphs resolved with libsolv and drawn with Graphviz.

The public API: ``load()`` gives a ``Universe``, whose ``graph()``, ``why()``,
``cycles()``, ``reverse()`` and ``stats()`` answer; see rpmgraph.api. Nothing else is
public.
"""

from typing import Any

from rpmgraph.api import (
    Cycle,
    Cycles,
    DependencyGraph,
    Edge,
    Step,
    Universe,
    Unresolved,
    WhyPaths,
    load,
)
from rpmgraph.errors import OutputError, RenderError, RootError, RpmgraphError, SourceError
from rpmgraph.model import Dependency, Kind, Package

__all__ = ["Cycle", "Cycles", "Dependency", "DependencyGraph", "Edge", "Kind", "OutputError",
           "Package", "RenderError", "RootError", "RpmgraphError", "SourceError", "Step",
           "Universe", "Unresolved", "WhyPaths", "load"]


def __getattr__(name: str) -> Any:
    """``__version__``, read from the installed package's metadata when first asked for:
    importlib.metadata's lookup of the distribution is start-up time, and only
    --version and downloads (the User-Agent) need it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("rpmgraph")
    except PackageNotFoundError:  # running from a source tree that was not installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found
