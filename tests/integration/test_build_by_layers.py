"""The build order checked by building: essex's sources rebuilt layer by layer.

rpmgraph orders every source package of ``essex-source``. A repository starts with the
binary packages not built from those sources (``essex-buildroot`` and ``essex`` less the
ordered sources' binaries); then, layer after layer, each source's buildroot is resolved
by the real ``dnf builddep`` against that repository, installed into a fresh rpm database
(``rpm -i --justdb``), and ``rpmbuild --rebuild`` runs with that database as its own, so
rpm itself checks the BuildRequires; what it builds joins the repository (createrepo_c).
A cycle's suggested break is bootstrapped: the source built first takes its missing
dependency from the original binaries of the cycle's sources, and is rebuilt once the
cycle's other sources are built.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

import rpmgraph
from rpmgraph.analysis.buildorder import BuildOrder
from tests.conftest import SAMPLE_REPOS
from tests.support.dnf import DnfError, dnf_available
from tests.support.dnf_builddep import dnf_builddep_set

pytestmark = [
    pytest.mark.dnf,
    pytest.mark.skipif(not dnf_available(), reason="needs dnf (as root)"),
    pytest.mark.skipif(shutil.which("rpmbuild") is None or shutil.which("createrepo_c") is None,
                       reason="needs rpmbuild and createrepo_c"),
]

BINARIES = [SAMPLE_REPOS / "essex", SAMPLE_REPOS / "essex-buildroot"]
SOURCES = SAMPLE_REPOS / "essex-source"
# name-[epoch:]version-release.arch, as dnf's solver names packages; then the source rpm.
QUERY = "%{NAME}-%|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE}.%{ARCH} %{SOURCERPM}\\n"


def headers(rpms: Iterable[Path]) -> dict[str, tuple[Path, str]]:
    """NEVRA -> (file, the SOURCERPM it was built from)."""
    files = sorted(rpms)
    out = subprocess.run(["rpm", "-qp", "--qf", QUERY, *map(str, files)], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    found = {}
    for path, line in zip(files, out, strict=True):
        nevra, sourcerpm = line.split()
        found[nevra] = (path, sourcerpm)
    return found


def source_name(sourcerpm: str) -> str:
    return sourcerpm.rsplit("-", 2)[0]


def srpm_names(folder: Path) -> dict[str, Path]:
    files = sorted(folder.glob("*.src.rpm"))
    out = subprocess.run(["rpm", "-qp", "--qf", "%{NAME}\\n", *map(str, files)], check=True,
                         capture_output=True, text=True).stdout.split()
    return dict(zip(out, files, strict=True))


class Builder:
    """A growing repository and the builds into it."""

    def __init__(self, work: Path, initial: Sequence[Path]) -> None:
        self.work = work
        self.repo = work / "growing"
        self.known: dict[str, tuple[Path, str]] = {}
        self.add(initial)

    def add(self, rpms: Sequence[Path]) -> None:
        (self.repo / "Packages").mkdir(parents=True, exist_ok=True)
        copies = [Path(shutil.copy2(p, self.repo / "Packages" / p.name)) for p in rpms]
        self.known.update(headers(copies))
        subprocess.run(["createrepo_c", "--quiet", "--no-database", "--workers", "1",
                        str(self.repo)], check=True)

    def buildroot(self, srpm: Path, bootstrap: Sequence[Path] = ()) -> set[str]:
        """What ``dnf builddep SRPM`` installs from the repository (and ``bootstrap``)."""
        return dnf_builddep_set([self.repo, *bootstrap], srpm)

    def rebuild(self, srpm: Path, files: Iterable[Path]) -> subprocess.CompletedProcess[str]:
        """``rpmbuild --rebuild`` with an rpm database holding exactly ``files``."""
        top = self.work / "build" / srpm.name
        db = top / "rpmdb"
        shutil.rmtree(top, ignore_errors=True)
        db.mkdir(parents=True)  # (rpm -i makes the database in it)
        subprocess.run(["rpm", "--dbpath", str(db), "-i", "--justdb", "--nodeps",
                        "--noscripts", "--notriggers", "--ignorearch", "--ignoreos",
                        "--replacefiles", *map(str, sorted(files))],
                       check=True, capture_output=True)
        return subprocess.run(["rpmbuild", "--rebuild", "--quiet", "--define", f"_topdir {top}",
                               "--define", f"_dbpath {db}", str(srpm)],
                              capture_output=True, text=True, check=False)

    def build(self, srpm: Path, bootstrap: dict[str, tuple[Path, str]] | None = None,
              ) -> tuple[list[Path], set[str]]:
        """Build ``srpm`` (its buildroot from the repository, else from ``bootstrap``):
        the rpms made, and the NEVRAs of the buildroot taken from ``bootstrap``."""
        repos = [bootstrap_repo(self.work, srpm.name, [p for p, _ in bootstrap.values()])
                 ] if bootstrap else []
        nevras = self.buildroot(srpm, repos)
        files = {**(bootstrap or {}), **self.known}
        result = self.rebuild(srpm, [files[n][0] for n in nevras])
        assert result.returncode == 0, result.stderr
        made = sorted((self.work / "build" / srpm.name / "RPMS").rglob("*.rpm"))
        return made, nevras - self.known.keys()


def bootstrap_repo(work: Path, name: str, rpms: Sequence[Path]) -> Path:
    repo = work / f"bootstrap-{name}"
    (repo / "Packages").mkdir(parents=True)
    for path in rpms:
        shutil.copy2(path, repo / "Packages" / path.name)
    subprocess.run(["createrepo_c", "--quiet", "--no-database", str(repo)], check=True)
    return repo


def essex_order() -> BuildOrder:
    universe = rpmgraph.load(repos=BINARIES, source_repos=[SOURCES])
    return universe.build_order(["*"])


def test_essex_sources_build_layer_by_layer(tmp_path: Path) -> None:
    order = essex_order()
    srpms = srpm_names(SOURCES / "Packages")
    ordered = set(srpms)
    assert {p.name for p in order.sources} == ordered
    originals = headers(p for repo in BINARIES for p in (repo / "Packages").glob("*.rpm"))
    builder = Builder(tmp_path, [path for path, src in originals.values()
                                  if source_name(src) not in ordered])
    cycles = {b.after: c for c in order.cycles for b in c.breaks}
    built: dict[str, set[str]] = {}

    # A source built too early (before the layers that make its BuildRequires) cannot be:
    # dnf finds no provider, and rpmbuild's own check fails on the rpm database of what
    # the repository does hold.
    late = order.layers[-1][0]
    with pytest.raises(DnfError):
        builder.buildroot(srpms[late])
    whole = dnf_builddep_set(BINARIES, srpms[late])
    present = [builder.known[n][0] for n in whole if n in builder.known]
    refused = builder.rebuild(srpms[late], present)
    assert refused.returncode != 0
    assert "error: Failed build dependencies:" in refused.stderr
    # rpm names exactly the BuildRequires that build-order says earlier layers satisfy
    needed = {line.strip().rpartition(" is needed by ")[0]
              for line in refused.stderr.splitlines() if " is needed by " in line}
    assert needed == {e.capability for e in order.edges if e.after == late and e.direct}

    for layer in order.layers:
        made: list[Path] = []
        for name in layer:
            cycle = cycles.get(name)
            # A cycle's source built first: its cycle's sources are not built yet, their
            # original binaries bootstrap it; and only the suggested break needs them.
            bootstrap = {n: (p, src) for n, (p, src) in originals.items()
                         if cycle is not None and source_name(src) in cycle.sources}
            rpms, borrowed = builder.build(srpms[name], bootstrap)
            if cycle is not None:
                (cut,) = [b for b in cycle.breaks if b.after == name]
                assert cut.binary in borrowed
                assert {source_name(originals[n][1]) for n in borrowed} <= set(cycle.sources)
            assert borrowed == set() or cycle is not None
            built[name] = set(headers(rpms))
            made += rpms
        builder.add(made)

    # Each cycle's source built first, rebuilt now from built packages alone.
    for name in cycles:
        rpms, _ = builder.build(srpms[name])
        assert set(headers(rpms)) == built[name]

    # Every binary package the sample repositories hold for these source rpms was
    # rebuilt, same NEVRA, and nothing else.
    files = {path.name for path in srpms.values()}
    expected = {n for n, (_, src) in originals.items() if src in files}
    assert set().union(*built.values()) == expected
