"""What every command module imports, in one place: the click group, the shared options
and their ``Session``, messages and exit codes.

Each lives in a module of its own: group.py (the group, --help's sections, errors to
exit codes), options.py (source and policy options), session.py (the pool they load),
messages.py (warnings), progress.py (bars), exits.py (exit codes and signals).
"""

from rpmgraph.cli.exits import (
    EXIT_PIPE,
    EXIT_SIGINT,
    EXIT_SIGTERM,
    EXIT_USAGE,
    Terminated,
    UserError,
    quiet_stdout,
    terminate_on_sigterm,
)
from rpmgraph.cli.group import COMMAND_MODULES, RpmgraphGroup, SectionedCommand, cli
from rpmgraph.cli.messages import is_quiet, one_line, warn
from rpmgraph.cli.options import (
    POLICY_OPTIONS,
    SOURCE_OPTIONS,
    complete_packages,
    session_options,
    with_options,
)
from rpmgraph.cli.progress import progress
from rpmgraph.cli.session import Session

__all__ = ["COMMAND_MODULES", "EXIT_PIPE", "EXIT_SIGINT", "EXIT_SIGTERM", "EXIT_USAGE",
           "POLICY_OPTIONS", "SOURCE_OPTIONS", "RpmgraphGroup", "SectionedCommand",
           "Session", "Terminated", "UserError", "cli", "complete_packages", "is_quiet",
           "one_line", "progress", "quiet_stdout", "session_options", "terminate_on_sigterm",
           "warn", "with_options"]
