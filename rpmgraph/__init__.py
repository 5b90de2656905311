"""rpmgraph: RPM dependency graphs resolved with libsolv and drawn with Graphviz."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rpmgraph")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
