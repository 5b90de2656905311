"""The comps parser: records, merging, selection, bounds and one-line errors; and its
reading of comps.xml compared with libcomps' (dnf's parser), when the system has it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from rpmgraph.errors import RootError, SourceError
from rpmgraph.sources import comps as comps_module
from rpmgraph.sources.comps import (
    Comps,
    GroupPackage,
    PackageType,
    comps_root_names,
    is_group_spec,
    merge,
    parse_comps,
)
from tests.integration.test_comps import COMPS, SECOND_COMPS


def doc(body: str) -> bytes:
    return f'<?xml version="1.0"?>\n<comps>{body}</comps>'.encode()


def test_records() -> None:
    comps = parse_comps(COMPS.encode(), "c")
    core = comps.group("core-tools")
    assert core is not None
    assert core.name == "Core Tools"  # not the translated name
    assert [p.name for p in core.mandatory] == ["tool-a", "ghost-pkg"]
    assert core.conditional[0] == GroupPackage("tool-a-doc", PackageType.CONDITIONAL,
                                               "tool-a")
    env = comps.environments[0]
    assert (env.id, env.grouplist) == ("workstation", ("core-tools",))
    assert [(o.group, o.default) for o in env.optionlist] == [("extras", True),
                                                              ("more", False)]


def test_package_types_as_libcomps_reads_them() -> None:
    comps = parse_comps(doc("<group><id>g</id><packagelist>"
                            "<packagereq>plain</packagereq>"
                            "<packagereq type='bogus'>odd</packagereq>"
                            "</packagelist></group>"), "c")
    assert comps.groups[0].packages == (GroupPackage("plain", PackageType.MANDATORY),)


def test_merge_unions_packages_and_the_later_entry_wins() -> None:
    first = parse_comps(doc("<group><id>g</id><name>One</name><packagelist>"
                            "<packagereq type='optional'>same</packagereq>"
                            "<packagereq>a</packagereq></packagelist></group>"), "1")
    later = parse_comps(doc("<group><id>g</id><name>Two</name><packagelist>"
                            "<packagereq type='default'>same</packagereq>"
                            "<packagereq>b</packagereq></packagelist></group>"), "2")
    group = merge([first, later]).groups[0]
    assert group.name == "Two"
    assert [(p.name, p.type.value) for p in group.packages] == [
        ("same", "default"), ("a", "mandatory"), ("b", "mandatory")]


@pytest.mark.parametrize(("spec", "expected"), [
    ("@core-tools", ["tool-a", "ghost-pkg", "tool-b", "tool-a-doc"]),
    ("@CORE TOOLS", ["tool-a", "ghost-pkg", "tool-b", "tool-a-doc"]),
    ("@^work*", ["tool-a", "ghost-pkg", "tool-b", "tool-a-doc"]),
    ("@extras", ["extra-a", "extra-b"]),
    ("tool-a", None),
    ("@nodejs:20", None),
    ("@", None),
])
def test_root_names(spec: str, expected: list[str] | None) -> None:
    assert comps_root_names(parse_comps(COMPS.encode(), "c"), spec) == expected


def test_root_names_with_optional() -> None:
    comps = parse_comps(COMPS.encode(), "c")
    assert comps_root_names(comps, "@extras", with_optional=True) == [
        "extra-a", "extra-b", "extra-c", "extra-c-addon"]


def test_unknown_group() -> None:
    with pytest.raises(RootError, match=r"did you mean extras\?$"):
        parse_comps(COMPS.encode(), "c").select("@extra")


def test_group_spec_forms() -> None:
    assert is_group_spec("@core") and is_group_spec("@^env")
    assert not is_group_spec("@nodejs:20/common") and not is_group_spec("core")


@pytest.mark.parametrize(("data", "message"), [
    (b"<comps><group>", "c is not valid comps XML: "),
    (b"<repomd/>", "c is not comps XML: its root element is <repomd>, not <comps>"),
    (doc("<group><name>x</name></group>"), "c has a group id without a value"),
    (doc("<group><id>g</id><packagelist><packagereq/></packagelist></group>"),
     "c group g has a package name without a value"),
    (doc("<environment><id>e</id><grouplist><groupid/></grouplist></environment>"),
     "c environment e has a group id without a value"),
    (doc(f"<group><id>{'x' * 2000}</id></group>"), "c has a group id that is too long"),
    (doc("<group><id>a&#150;b</id></group>"), "holds control characters"),
    (b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaa">]><comps>&a;</comps>',
     "c declares XML entities, which are refused"),
])
def test_malformed(data: bytes, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_comps(data, "c")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_counts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comps_module, "MAX_ITEMS", 2)
    with pytest.raises(SourceError, match=r"^c has more than 2 groups; refusing it$"):
        parse_comps(doc("<group><id>a</id></group>" * 3), "c")
    monkeypatch.setattr(comps_module, "MAX_ENTRIES", 1)
    with pytest.raises(SourceError, match=r"^c group a has more than 1 packages"):
        parse_comps(doc("<group><id>a</id><packagelist><packagereq>x</packagereq>"
                        "<packagereq>y</packagereq></packagelist></group>"), "c")


_LIBCOMPS = """
import json, sys, libcomps
merged = None
for path in sys.argv[1:]:
    part = libcomps.Comps()
    part.fromxml_f(path)
    merged = part if merged is None else merged + part
types = {libcomps.PACKAGE_TYPE_MANDATORY: "mandatory", libcomps.PACKAGE_TYPE_DEFAULT:
         "default", libcomps.PACKAGE_TYPE_OPTIONAL: "optional",
         libcomps.PACKAGE_TYPE_CONDITIONAL: "conditional"}
print(json.dumps({
    "groups": {g.id: [g.name, sorted([p.name, types[p.type], p.requires or None]
                                     for p in g.packages if p.type in types)]
               for g in merged.groups},
    "environments": {e.id: [e.name, [i.name for i in e.group_ids],
                            [[i.name, bool(i.default)] for i in e.option_ids]]
                     for e in merged.environments}}))
"""


def _libcomps_reading(*paths: str) -> dict[str, object]:
    python = shutil.which("python3", path="/usr/bin")
    if python is None or subprocess.run([python, "-c", "import libcomps"],
                                        capture_output=True, check=False).returncode:
        pytest.skip("needs the system's python3 with libcomps (dnf's comps parser)")
    out = subprocess.run([python, "-c", _LIBCOMPS, *paths], capture_output=True,
                         text=True, check=True).stdout
    return dict(json.loads(out))


def _ours(comps: Comps) -> dict[str, object]:
    return {
        "groups": {g.id: [g.name, sorted([p.name, p.type.value, p.requires]
                                         for p in g.packages)] for g in comps.groups},
        "environments": {e.id: [e.name, list(e.grouplist),
                                [[o.group, o.default] for o in e.optionlist]]
                         for e in comps.environments}}


def test_reading_agrees_with_libcomps(tmp_path: pytest.TempPathFactory) -> None:
    first, second = tmp_path / "1.xml", tmp_path / "2.xml"  # type: ignore[operator]
    first.write_text(COMPS, encoding="utf-8")
    second.write_text(SECOND_COMPS, encoding="utf-8")
    ours = merge([parse_comps(COMPS.encode(), "1"), parse_comps(SECOND_COMPS.encode(), "2")])
    assert _ours(ours) == _libcomps_reading(str(first), str(second))
