"""modules.yaml from untrusted repositories: any bytes and any YAML structure give module
metadata or one SourceError line, never another exception; every value stays a string."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rpmgraph.errors import SourceError
from rpmgraph.sources.modules import ModuleMetadata, parse_modules_yaml

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
# Strings YAML 1.1 would read as something else: numbers, booleans, nulls, dates.
_TRICKY = st.sampled_from(["3.10", "1e3", "0o17", "010", "yes", "off", "null", "~", "1_000",
                           "2024-01-01", ".inf", "0x1F", "1:2", "+1"])
_KEYS = st.sampled_from(["document", "version", "data", "name", "stream", "context", "arch",
                         "artifacts", "rpms", "profiles", "dependencies", "requires", "module"])
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT | _TRICKY,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(_KEYS | _TEXT, inner, max_size=4),
    max_leaves=20)


def _parse(data: bytes) -> ModuleMetadata | None:
    try:
        return parse_modules_yaml(data, "fuzz/modules.yaml")
    except SourceError as exc:
        message = str(exc)
        assert message.startswith("fuzz/modules.yaml: ")
        assert "\n" not in message
        return None


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    _parse(data)


@SETTINGS
@given(st.lists(st.fixed_dictionaries(
    {"document": st.sampled_from(["modulemd", "modulemd-defaults", "other"]) | _VALUES,
     "version": st.sampled_from(["2", "1", 2]) | _VALUES,
     "data": _VALUES}), min_size=1, max_size=3))
def test_any_structure(docs: list[dict[str, Any]]) -> None:
    _parse(yaml.safe_dump_all(docs).encode())


@SETTINGS
@given(stream=_TRICKY | _TEXT.filter(str.strip), context=_TRICKY | _TEXT,
       version=st.integers(min_value=0, max_value=10**18),
       profile=_TRICKY | _TEXT.filter(str.strip), rpms=st.lists(_TRICKY | _TEXT, max_size=3))
def test_values_stay_strings(stream: str, context: str, version: int, profile: str,
                             rpms: list[str]) -> None:
    doc = {"document": "modulemd", "version": 2,
           "data": {"name": "mod", "stream": stream, "context": context, "version": version,
                    "arch": "x86_64", "profiles": {profile: {"rpms": rpms}},
                    "dependencies": [{"requires": {"platform": [stream]}}]}}
    defaults = {"document": "modulemd-defaults", "version": 1,
                "data": {"module": "mod", "stream": stream, "profiles": {stream: [profile]}}}
    found = parse_modules_yaml(yaml.safe_dump_all([doc, defaults]).encode(), "t")
    (parsed,) = found.streams
    assert (parsed.stream, parsed.context, parsed.version) == (stream, context, version)
    assert parsed.profiles == ((profile, tuple(rpms)),)
    assert parsed.requires == (("platform", (stream,)),)
    assert found.defaults[0].stream == stream
    assert found.defaults[0].profiles == ((stream, (profile,)),)
