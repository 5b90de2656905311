"""The shared options and the Session they fill: one list of names, kept by the code."""

from __future__ import annotations

import dataclasses

from rpmgraph.cli.options import POLICY_NAMES, SOURCE_NAMES
from rpmgraph.cli.progress import progress
from rpmgraph.cli.session import Session
from rpmgraph.sources.progress import no_progress


def test_every_shared_option_is_a_session_field_and_back() -> None:
    """A command gets its options as the Session's fields of the same names: an option
    added without a field (or a field without an option) is found here, not by a user."""
    fields = {f.name for f in dataclasses.fields(Session) if not f.name.startswith("_")}
    assert fields - {"root_specs"} == SOURCE_NAMES | POLICY_NAMES
    assert not SOURCE_NAMES & POLICY_NAMES


def test_no_bars_when_stderr_is_not_a_terminal() -> None:
    """(pytest captures stderr: it is no terminal.)"""
    assert progress("bytes") is no_progress
    assert progress("graphs") is no_progress
