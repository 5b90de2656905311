"""Self-check of the test helpers in tests/support: real rpms, repos, rpmdb and dnf.

The repository built here::

    a        Requires: b            Recommends: d
    b 1.0    Requires: /usr/share/c/data, oldlib
    b 2.0    Requires: /usr/share/c/data
    c        ships /usr/share/c/data
    d        epoch 1, only recommended
    e        Requires: a
    oldlib   required by the old b only
    g        x86_64 and aarch64 builds, Requires: libg
    libg     x86_64 and aarch64 builds
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.dnf import (
    DnfError,
    dnf_available,
    dnf_install_set,
    dnf_repoquery_recursive,
    dnf_whatrequires_recursive,
)
from tests.support.rpmbuild import (
    RPMDB_DBPATH,
    Spec,
    build_rpms,
    install_into_rpmdb,
    make_repo,
    query_rpmdb,
)

SPECS = [
    Spec("a", requires=["b"], recommends=["d"], files={"/usr/share/a/readme": "a\n"}),
    Spec("b", version="1.0", requires=["/usr/share/c/data", "oldlib"]),
    Spec("b", version="2.0", requires=["/usr/share/c/data"]),
    Spec("c", files={"/usr/share/c/data": "c data\n"}),
    Spec("d", epoch=1, summary="only recommended"),
    Spec("e", requires=["a"]),
    Spec("oldlib"),
    Spec("g", arch="x86_64", requires=["libg"]),
    Spec("g", arch="aarch64", requires=["libg"]),
    Spec("libg", arch="x86_64"),
    Spec("libg", arch="aarch64"),
]

#: dnf tests need the dnf binary and root (dnf install refuses to run otherwise).
needs_dnf = pytest.mark.skipif(not dnf_available(), reason="needs dnf and root")


@pytest.fixture(scope="module")
def rpms(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The packages above, built once for the module."""
    return build_rpms(SPECS, tmp_path_factory.mktemp("rpms"))


@pytest.fixture(scope="module")
def repo(rpms: list[Path]) -> Path:
    """An rpm-md repository of the packages above."""
    return make_repo(rpms[0].parent)


def _rpm_query(rpm_file: Path, queryformat: str) -> str:
    """Query one header field set of an rpm file."""
    cmd = ["rpm", "-qp", "--nosignature", "--qf", queryformat, str(rpm_file)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def test_built_headers_hold_exactly_the_spec(rpms: list[Path]) -> None:
    """Names, epochs, dependency tags and payload come out as declared."""
    assert [p.name for p in rpms] == [s.rpm_filename for s in SPECS]
    a, b1 = rpms[0], rpms[1]
    assert _rpm_query(a, "[%{REQUIRENAME}\\n]").split() == [
        "b",
        "rpmlib(CompressedFileNames)",
        "rpmlib(FileDigests)",
        "rpmlib(PayloadFilesHavePrefix)",
    ]
    assert _rpm_query(a, "[%{RECOMMENDNAME}\\n]").split() == ["d"]
    assert _rpm_query(a, "[%{FILENAMES}\\n]").split() == ["/usr/share/a/readme"]
    assert "oldlib" in _rpm_query(b1, "[%{REQUIRENAME}\\n]").split()
    assert _rpm_query(rpms[4], "%{EPOCH}") == "1"
    assert SPECS[4].nevra == "d-1:1.0-1.noarch"


def test_foreign_arch_package(rpms: list[Path]) -> None:
    """An aarch64 package builds on any host via rpmbuild --target."""
    aarch64 = rpms[8]
    assert aarch64.name == "g-1.0-1.aarch64.rpm"
    assert _rpm_query(aarch64, "%{ARCH} %{OS}") == "aarch64 linux"


def test_spec_rejects_a_bare_string_dependency() -> None:
    """A str is a Sequence[str] too: requires="libfoo" must not mean l, i, b, f, o."""
    with pytest.raises(TypeError):
        Spec("x", requires="libfoo")


def test_make_repo_xz(tmp_path: Path, rpms: list[Path]) -> None:
    """createrepo_c honours the compression type for all metadata files."""
    for rpm_file in rpms[:2]:
        (tmp_path / rpm_file.name).write_bytes(rpm_file.read_bytes())
    repo = make_repo(tmp_path, compress="xz")
    names = sorted(p.name.split("-", 1)[1] for p in (repo / "repodata").glob("*-*.xml.*"))
    assert names == ["filelists.xml.xz", "other.xml.xz", "primary.xml.xz"]


def test_rpmdb_round_trip(tmp_path: Path, rpms: list[Path]) -> None:
    """Packages registered with --justdb read back with rpm --root/--dbpath."""
    root = tmp_path / "sysroot"
    install_into_rpmdb(root, rpms[:5])
    assert (root / RPMDB_DBPATH.lstrip("/") / "rpmdb.sqlite").is_file()
    expected = {s.nevra for s in SPECS[:5]}
    assert query_rpmdb(root) == expected
    cmd = ["rpm", "--root", str(root), "--dbpath", RPMDB_DBPATH, "-qa", "--qf", "%{NAME}\\n"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert sorted(out.split()) == ["a", "b", "b", "c", "d"]
    # --justdb writes no payload files into the root.
    assert not (root / "usr").exists()


def test_rpmdb_with_python_bindings(tmp_path: Path, rpms: list[Path]) -> None:
    """The documented recipe for the rpm bindings finds the same packages."""
    rpm = pytest.importorskip("rpm")
    root = tmp_path / "sysroot"
    install_into_rpmdb(root, rpms[5:7])
    rpm.addMacro("_dbpath", RPMDB_DBPATH)
    try:
        ts = rpm.TransactionSet(str(root))
        names = sorted(str(h[rpm.RPMTAG_NAME]) for h in ts.dbMatch())
        ts.closeDB()
    finally:
        rpm.delMacro("_dbpath")
    assert names == ["e", "oldlib"]


def test_empty_rpmdb(tmp_path: Path) -> None:
    """An initialised database without packages is valid and empty."""
    install_into_rpmdb(tmp_path / "empty", [])
    assert query_rpmdb(tmp_path / "empty") == set()


@pytest.mark.dnf
@needs_dnf
@pytest.mark.parametrize(
    ("weak", "expected"),
    [
        (True, {"a-1.0-1.noarch", "b-2.0-1.noarch", "c-1.0-1.noarch", "d-1:1.0-1.noarch"}),
        (False, {"a-1.0-1.noarch", "b-2.0-1.noarch", "c-1.0-1.noarch"}),
    ],
)
def test_install_set(repo: Path, weak: bool, expected: set[str]) -> None:
    """Newest b, the file provider c, and the recommended d only with weak deps."""
    assert dnf_install_set([repo], ["a"], weak=weak) == expected


@pytest.mark.dnf
@needs_dnf
@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_install_set_arch(repo: Path, arch: str) -> None:
    """--forcearch picks the builds of that architecture only."""
    assert dnf_install_set([repo], ["g"], arch=arch) == {f"g-1.0-1.{arch}", f"libg-1.0-1.{arch}"}


@pytest.mark.dnf
@needs_dnf
def test_install_set_by_file_and_old_version(repo: Path) -> None:
    """Roots are dnf specs: a file path or a full NEVRA pinning the old b."""
    assert dnf_install_set([repo], ["/usr/share/c/data"]) == {"c-1.0-1.noarch"}
    assert dnf_install_set([repo], ["b-1.0-1.noarch"]) == {
        "b-1.0-1.noarch",
        "c-1.0-1.noarch",
        "oldlib-1.0-1.noarch",
    }


@pytest.mark.dnf
@needs_dnf
def test_install_set_across_two_repos(tmp_path: Path, rpms: list[Path]) -> None:
    """Several repositories are enabled side by side."""
    first, second = tmp_path / "first", tmp_path / "second"
    build_rpms([Spec("x", requires=["y"])], first)
    build_rpms([Spec("y", version="3", epoch=2)], second)
    repos = [make_repo(first), make_repo(second)]
    assert dnf_install_set(repos, ["x"]) == {"x-1.0-1.noarch", "y-2:3-1.noarch"}


@pytest.mark.dnf
@needs_dnf
def test_install_set_unresolvable(tmp_path: Path) -> None:
    """A missing dependency raises DnfError carrying dnf's explanation."""
    build_rpms([Spec("broken", requires=["nothing-provides-this"])], tmp_path)
    repo = make_repo(tmp_path)
    with pytest.raises(DnfError, match="nothing provides nothing-provides-this"):
        dnf_install_set([repo], ["broken"])
    with pytest.raises(DnfError, match="Unable to find a match"):
        dnf_install_set([repo], ["no-such-package"])


@pytest.mark.dnf
@needs_dnf
def test_repoquery_recursive(repo: Path) -> None:
    """Providers of a's requires, transitively, latest version per name.

    oldlib is there although only the old b needs it: dnf follows every version
    of b but prints only b 2.0.  d (a weak dependency) is not.
    """
    assert dnf_repoquery_recursive([repo], "a") == {
        "b-2.0-1.noarch",
        "c-1.0-1.noarch",
        "oldlib-1.0-1.noarch",
    }
    assert dnf_repoquery_recursive([repo], "no-such-package") == set()


@pytest.mark.dnf
@needs_dnf
def test_whatrequires_recursive(repo: Path) -> None:
    """Everything that needs c, through its file, then b, then a: all versions."""
    assert dnf_whatrequires_recursive([repo], "c") == {
        "a-1.0-1.noarch",
        "b-1.0-1.noarch",
        "b-2.0-1.noarch",
        "e-1.0-1.noarch",
    }
    # d is only recommended, which --whatrequires does not count.
    assert dnf_whatrequires_recursive([repo], "d") == set()


@pytest.mark.dnf
@needs_dnf
def test_arch_in_repoquery(repo: Path) -> None:
    """--requires --resolve keeps to one architecture; --whatrequires reports all."""
    assert dnf_repoquery_recursive([repo], "g", arch="aarch64") == {"libg-1.0-1.aarch64"}
    assert dnf_repoquery_recursive([repo], "g", arch="x86_64") == {"libg-1.0-1.x86_64"}
    assert dnf_whatrequires_recursive([repo], "libg") == {"g-1.0-1.x86_64", "g-1.0-1.aarch64"}
