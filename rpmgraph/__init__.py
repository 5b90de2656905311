"""rpmgraph: RPM dependency graphs resolved with libsolv and drawn with Graphviz."""


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed package's metadata when first asked for:
    importlib.metadata and the distribution's lookup take 0.02 s at start-up, and only
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
