"""One exception hierarchy for the core; only the CLI turns these into exit codes."""


class RpmgraphError(Exception):
    """A problem the user can act on; the message is shown as one line."""


class SourceError(RpmgraphError):
    """A repository, .rpm file or rpm database could not be read."""


class RootError(RpmgraphError):
    """A root spec matched no package."""


class OutputError(RpmgraphError):
    """An output file or folder could not be written."""


class RenderError(RpmgraphError):
    """Graphviz failed to lay out or draw a graph."""
