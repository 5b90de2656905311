"""Build real source packages (``rpmbuild -bs``) with BuildRequires, for tests.

A ``SourceSpec`` is one spec file: its BuildRequires, and the binary packages it builds
(``tests.support.rpmbuild.Spec`` records; the first may share the source's name), so a
test can build the binaries of a source package too (``build_binaries``) and check that
their SOURCERPM names it. Nothing is compiled; HOME points away from ``~/.rpmmacros``.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.rpmbuild import RpmToolError, Spec, rpm_env

__all__ = ["SourceSpec", "build_srpms"]


@dataclass(frozen=True)
class SourceSpec:
    """One spec file: a source package with BuildRequires and the binaries it builds."""

    name: str
    version: str = "1.0"
    release: str = "1"
    buildrequires: Sequence[str] = ()
    packages: Sequence[Spec] = field(default_factory=tuple)
    summary: str = "test source package"

    @property
    def srpm_filename(self) -> str:
        return f"{self.name}-{self.version}-{self.release}.src.rpm"

    @property
    def nevra(self) -> str:
        return f"{self.name}-{self.version}-{self.release}.src"

    def text(self) -> str:
        lines = [f"Name: {self.name}", f"Version: {self.version}", f"Release: {self.release}",
                 f"Summary: {self.summary}", "License: MIT", "BuildArch: noarch",
                 "AutoReqProv: no"]
        lines += [f"BuildRequires: {dep}" for dep in self.buildrequires]
        binaries = list(self.packages) or [Spec(self.name, self.version, self.release)]
        main = next((p for p in binaries if p.name == self.name), None)
        if main is not None:
            lines += [f"Requires: {d}" for d in main.requires]
            lines += [f"Provides: {d}" for d in main.provides]
        lines += ["", "%description", self.summary, ""]
        for pkg in binaries:
            if pkg is main:
                continue
            lines += [f"%package -n {pkg.name}", f"Summary: {pkg.summary}"]
            lines += [f"Requires: {d}" for d in pkg.requires]
            lines += [f"Provides: {d}" for d in pkg.provides]
            lines += ["", f"%description -n {pkg.name}", pkg.summary, ""]
        lines += ["%install", "mkdir -p %{buildroot}/usr/share/srpmtest"]
        for pkg in binaries:
            lines.append(f"echo {pkg.name} > %{{buildroot}}/usr/share/srpmtest/{pkg.name}")
        for pkg in binaries:
            head = "%files" if pkg is main else f"%files -n {pkg.name}"
            lines += ["", head, f"/usr/share/srpmtest/{pkg.name}"]
        return "\n".join(lines) + "\n"


def _rpmbuild(mode: str, spec_path: Path, top: Path) -> None:
    cmd = ["rpmbuild", mode, "--quiet", "--nodeps", "--define", f"_topdir {top}",
           "--define", "_buildhost localhost", "--define", "__os_install_post %{nil}",
           str(spec_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=rpm_env(top), check=False)
    if proc.returncode != 0:
        raise RpmToolError(cmd, proc.returncode, proc.stdout + proc.stderr)


def build_srpms(specs: Iterable[SourceSpec], outdir: Path, binaries: Path | None = None,
                ) -> list[Path]:
    """``rpmbuild -bs`` each spec into ``outdir`` (and ``-bb`` into ``binaries`` when
    given); the .src.rpm paths, in order."""
    outdir.mkdir(parents=True, exist_ok=True)
    if binaries is not None:
        binaries.mkdir(parents=True, exist_ok=True)
    found = []
    with tempfile.TemporaryDirectory(prefix="rpmgraph-srpmbuild-") as tmp:
        for i, spec in enumerate(specs):
            top = Path(tmp) / str(i)
            (top / "SPECS").mkdir(parents=True)
            spec_path = top / "SPECS" / f"{spec.name}.spec"
            spec_path.write_text(spec.text(), encoding="utf-8")
            _rpmbuild("-bs", spec_path, top)
            built = top / "SRPMS" / spec.srpm_filename
            target = outdir / spec.srpm_filename
            target.write_bytes(built.read_bytes())
            found.append(target)
            if binaries is not None:
                _rpmbuild("-bb", spec_path, top)
                for rpm in sorted((top / "RPMS").rglob("*.rpm")):
                    (binaries / rpm.name).write_bytes(rpm.read_bytes())
    return found
