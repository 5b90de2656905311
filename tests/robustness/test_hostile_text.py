"""Names, versions and summaries from strangers: every output format stays valid, the
terminal gets no control sequences, and -O never writes outside its folder."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.robustness.support import RAW_CONTROLS, check_output, leftovers, rename_package
from tests.support.repomd_edit import rewrite
from tests.support.rpmbuild import rpm_env

CopyRepo = Callable[[Path], Path]
FORMATS = ["json", "dot", "graphml", "tree", "svg"]
HOSTILE_NAMES = [
    'q"uo\'te',
    "back\\slash\\",
    "new\nline\ttab\rcr",
    "<script>alert(1)</script>",
    "../../../../tmp/escaped",
    "..",
    "/etc/passwd",
    "$(touch pwned); `id` | rm -rf * & echo ${HOME}",
    "-o",
    "node",  # a DOT keyword
    "ünïcødé ☃ 漢字",
]


@pytest.fixture(scope="module")
def hostile_repo(mini_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini repository with lonely, tool and extras renamed to hostile names, and a
    hostile summary and version; cond and app still require them."""
    import shutil

    repo = tmp_path_factory.mktemp("hostile") / "repo"
    shutil.copytree(mini_repo, repo)

    def transform(xml: bytes) -> bytes:
        for old, new in zip(["lonely", "docs", "extras", "users", "engine"], HOSTILE_NAMES,
                            strict=False):
            xml = rename_package(xml, old, new, summary=f"summary of {new} \\ \" <b>&amp;")
        return xml.replace(b'ver="1.0" rel="1"', b'ver="1.0&lt;x&gt;" rel="1\'$(id)"', 1)

    rewrite(repo, "primary", transform)
    rewrite(repo, "filelists", transform)
    return repo


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("policy", ["install", "all"])
def test_every_format_stays_valid(run: Run, hostile_repo: Path, fmt: str, policy: str) -> None:
    result = run("graph", "--repo", hostile_repo, "*", "-f", fmt, "--policy", policy,
                 "--kinds", "requires,recommends,suggests")
    assert result.exit_code == 0, result.stderr
    check_output(fmt, result.stdout_bytes)
    assert not RAW_CONTROLS.search(result.stderr)


def test_json_keeps_names_exactly(run: Run, hostile_repo: Path) -> None:
    result = run("graph", "--repo", hostile_repo, "*", "-f", "json", "--policy", "all")
    names = {n["name"] for n in json.loads(result.stdout)["nodes"]}
    assert set(HOSTILE_NAMES[:5]) <= names


def test_graphml_keeps_names(run: Run, hostile_repo: Path) -> None:
    import networkx as nx

    result = run("graph", "--repo", hostile_repo, "*", "-f", "graphml", "--policy", "all")
    graph = nx.parse_graphml(result.stdout)
    names = {data["name"] for _, data in graph.nodes(data=True)}
    assert {'q"uo\'te', "back\\slash\\", "<script>alert(1)</script>"} <= names


@pytest.mark.parametrize("command", [
    ["tree", "cond", "--show-caps"],
    ["tree", "--reverse", "*"],
    ["why", "cond", "q*"],
    ["why", "app", "new*"],
    ["cycles"],
    ["graph", "*", "-f", "tree"],
])
def test_terminal_output_has_no_raw_controls(run: Run, hostile_repo: Path,
                                             command: list[str]) -> None:
    result = run(command[0], "--repo", hostile_repo, *command[1:])
    assert result.exit_code == 0, result.stderr
    assert not RAW_CONTROLS.search(result.stdout), result.stdout
    assert not RAW_CONTROLS.search(result.stderr), result.stderr


@pytest.mark.parametrize("fmt", ["json", "dot", "tree"])
def test_output_dir_never_writes_outside(run: Run, hostile_repo: Path, tmp_path: Path,
                                         fmt: str) -> None:
    out = tmp_path / "a" / "b" / "c" / "d" / "out"  # out/../../../.. is still in tmp_path
    result = run("graph", "--repo", hostile_repo, "*", "-O", out, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    for path in tmp_path.rglob("*"):
        assert path in out.parents or out in (path, path.parent)
    assert not Path("/etc/passwd.json").exists()
    files = sorted(out.iterdir())
    assert all(p.parent == out and p.is_file() and not p.name.startswith(".") for p in files)
    assert len(files) == len({p.name for p in files})
    assert not leftovers(out)
    for path in files:
        check_output(fmt, path.read_bytes())
    assert not Path("/tmp/escaped.json").exists()


def _build_hostile_rpm(folder: Path) -> Path:
    """A summary and description with ESC sequences, BEL and bytes that are not UTF-8:
    rpmbuild accepts these (with a warning) where it refuses them in names."""
    esc = '%{lua: print(string.char(27).."[31mRED"..string.char(27).."]0;title"..string.char(7))}'
    spec = folder / "hostile.spec"
    spec.write_bytes(
        b"Name: hostile\nVersion: 1.0\nRelease: 1\n"
        b"Summary: bad " + esc.encode() + b' "q" \\ <script>x</script> $(id) \xff\xfe end\n'
        b"License: MIT\nBuildArch: noarch\nAutoReqProv: no\nRequires: lonely\n\n"
        b"%description\nline1\nline2 " + esc.encode() + b"\n\n%files\n")
    top = folder / "top"
    subprocess.run(["rpmbuild", "-bb", "--define", f"_topdir {top}",
                    "--define", "_invalid_encoding_terminates_build 0", str(spec)],
                   check=True, capture_output=True, env=rpm_env(folder))
    return next(top.rglob("hostile-1.0-1.noarch.rpm"))


@pytest.fixture(scope="module")
def hostile_rpm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_hostile_rpm(tmp_path_factory.mktemp("hostile-rpm"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_rpm_header_with_controls_and_bad_bytes(run: Run, hostile_rpm: Path, mini_rpms: Path,
                                                fmt: str) -> None:
    result = run("graph", "--rpm", hostile_rpm, "--rpm", mini_rpms, "hostile", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    check_output(fmt, result.stdout_bytes)
    assert b"\x1b" not in result.stdout_bytes and b"\x07" not in result.stdout_bytes
    if fmt == "json":
        node = json.loads(result.stdout)["nodes"][0]
        assert node["summary"].startswith("bad \x1b[31mRED")  # escaped by JSON, kept
        assert "\ufffd\ufffd end" in node["summary"]  # bytes that are not UTF-8


def test_installed_header_with_controls(run: Run, hostile_rpm: Path, mini_rpms: Path,
                                        tmp_path: Path) -> None:
    from tests.support.rpmbuild import install_into_rpmdb

    root = tmp_path / "root"
    install_into_rpmdb(root, [hostile_rpm, mini_rpms / "lonely-1.0-1.noarch.rpm"])
    result = run("tree", "--root", root, "--dbpath", "/var/lib/rpm", "hostile", "--show-caps")
    assert result.exit_code == 0, result.stderr
    assert not RAW_CONTROLS.search(result.stdout + result.stderr)
