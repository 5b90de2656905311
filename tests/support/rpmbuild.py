"""Build real, tiny rpm packages, rpm-md repositories and rpm databases for tests.

Everything here shells out to the distribution's tools (``rpmbuild``, ``createrepo_c``
and ``rpm``) so that the tests exercise real headers, real repository metadata and a
real rpmdb rather than hand-written fixtures.

Packages carry no compiled content, so any architecture can be built on any host:
a spec with ``arch="noarch"`` gets ``BuildArch: noarch``; every other architecture
is built with ``rpmbuild --target ARCH`` (``BuildArch: aarch64`` does *not* work on
an x86_64 host: rpmbuild answers "No compatible architectures found for build").
``--target`` was checked on Debian 12's rpm 4.18 with x86_64, i686, aarch64,
ppc64le, s390x and armv7hl; the platform names it accepts are those listed in
``/usr/lib/rpm/platform``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "RPMDB_DBPATH",
    "RpmToolError",
    "Spec",
    "build_rpms",
    "install_into_rpmdb",
    "make_repo",
    "query_rpmdb",
    "rpm_env",
]

#: Where :func:`install_into_rpmdb` puts the database, relative to its root.
#: Fedora's location, spelled out because Debian's rpm defaults to ``~/.rpmdb``.
RPMDB_DBPATH = "/var/lib/rpm"

# Dependency kinds as (Spec attribute, spec-file tag), in the order they are written.
_DEP_TAGS: tuple[tuple[str, str], ...] = (
    ("requires", "Requires"),
    ("requires_pre", "Requires(pre)"),
    ("provides", "Provides"),
    ("recommends", "Recommends"),
    ("suggests", "Suggests"),
    ("supplements", "Supplements"),
    ("enhances", "Enhances"),
    ("conflicts", "Conflicts"),
    ("obsoletes", "Obsoletes"),
)

# Name/version/release/arch go into file names and NEVRA strings, so keep them plain.
_TOKEN_RE = re.compile(r"^[A-Za-z0-9._+~^]+$")
_NAME_RE = re.compile(r"^[A-Za-z0-9._+-]+$")
# Payload paths are written into %files; forbid quotes and glob characters that
# rpmbuild would interpret there.
_PATH_RE = re.compile(r"^/[A-Za-z0-9._+@:,=~ /-]*[^/]$")
# Fewest specs worth a separate rpmbuild process (see _plan_jobs).
_MIN_CHUNK = 8


class RpmToolError(RuntimeError):
    """An rpm tool (rpmbuild, createrepo_c, rpm) exited with an error."""

    def __init__(self, cmd: Sequence[str], returncode: int, output: str) -> None:
        super().__init__(f"{cmd[0]} failed with exit code {returncode}: {' '.join(cmd)}\n{output}")
        self.cmd = list(cmd)
        self.returncode = returncode
        self.output = output


@dataclass(frozen=True)
class Spec:
    """One binary package to build.

    Dependency fields take any sequence of strings (lists are fine); each entry is
    one dependency as written in a spec file, e.g. ``"b >= 1.0"``,
    ``"/usr/share/c/data"`` or a rich dependency ``"(c or d)"``.  ``files`` maps
    absolute payload paths to their text content.
    """

    name: str
    version: str = "1.0"
    release: str = "1"
    epoch: int | None = None
    arch: str = "noarch"
    summary: str = "test package"
    requires: Sequence[str] = ()
    requires_pre: Sequence[str] = ()
    provides: Sequence[str] = ()
    recommends: Sequence[str] = ()
    suggests: Sequence[str] = ()
    supplements: Sequence[str] = ()
    enhances: Sequence[str] = ()
    conflicts: Sequence[str] = ()
    obsoletes: Sequence[str] = ()
    files: Mapping[str, str] = field(default_factory=dict)
    license: str = "MIT"

    def __post_init__(self) -> None:
        """Reject values that would silently produce a different package."""
        if not _NAME_RE.match(self.name):
            raise ValueError(f"bad package name {self.name!r}")
        for label, value in (("version", self.version), ("release", self.release)):
            if not _TOKEN_RE.match(value):
                raise ValueError(f"{self.name}: bad {label} {value!r}")
        if not _NAME_RE.match(self.arch) or "-" in self.arch:
            raise ValueError(f"{self.name}: bad arch {self.arch!r}")
        if self.epoch is not None and self.epoch < 0:
            raise ValueError(f"{self.name}: negative epoch")
        for attr, _tag in _DEP_TAGS:
            _check_deps(self.name, attr, getattr(self, attr))
        for path in self.files:
            if not _PATH_RE.match(path):
                raise ValueError(f"{self.name}: unsupported payload path {path!r}")

    @property
    def evr(self) -> str:
        """``[epoch:]version-release``, the epoch only when it is nonzero."""
        prefix = f"{self.epoch}:" if self.epoch else ""
        return f"{prefix}{self.version}-{self.release}"

    @property
    def nevra(self) -> str:
        """``name-[epoch:]version-release.arch``, the format the dnf helpers return."""
        return f"{self.name}-{self.evr}.{self.arch}"

    @property
    def rpm_filename(self) -> str:
        """The file name rpmbuild gives the package (rpm file names carry no epoch)."""
        return f"{self.name}-{self.version}-{self.release}.{self.arch}.rpm"


def _check_deps(name: str, attr: str, deps: Sequence[str]) -> None:
    """A bare string is a Sequence[str] too; catch ``requires="b"`` early."""
    if isinstance(deps, str):
        raise TypeError(f"{name}: {attr} must be a sequence of strings, not a string")
    for dep in deps:
        if not dep.strip() or "\n" in dep:
            raise ValueError(f"{name}: bad {attr} entry {dep!r}")


def rpm_env(home: Path) -> dict[str, str]:
    """Environment for rpm tools: HOME points away from the user's ``~/.rpmmacros``.

    Messages are forced to English so errors read the same everywhere.
    """
    env = dict(os.environ)
    env["HOME"] = str(home)
    env["LC_ALL"] = "C"
    return env


def _run(cmd: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    """Run a tool and return its stdout; raise RpmToolError with both streams on failure.

    stderr is kept apart because Debian's rpm prints an "use Alien instead"
    warning there on every ``rpm -i``.
    """
    proc = subprocess.run(
        list(cmd),
        capture_output=True,
        text=True,
        env=None if env is None else dict(env),
        check=False,
    )
    if proc.returncode != 0:
        raise RpmToolError(cmd, proc.returncode, proc.stdout + proc.stderr)
    return proc.stdout


def _escape(text: str) -> str:
    """Escape ``%`` so rpmbuild does not expand macros inside our values."""
    return text.replace("%", "%%")


def _spec_text(spec: Spec, stage: Path) -> str:
    """Render the spec file; the payload is copied from ``stage`` in %install."""
    lines = [
        f"Name: {spec.name}",
        f"Version: {spec.version}",
        f"Release: {spec.release}",
    ]
    if spec.epoch is not None:
        lines.append(f"Epoch: {spec.epoch}")
    lines += [
        f"Summary: {_escape(spec.summary)}",
        f"License: {_escape(spec.license)}",
        # Only the tags below may end up in the header: no file-based deps.
        "AutoReqProv: no",
    ]
    if spec.arch == "noarch":
        lines.append("BuildArch: noarch")
    for attr, tag in _DEP_TAGS:
        lines += [f"{tag}: {_escape(dep)}" for dep in getattr(spec, attr)]
    lines += ["", "%description", _escape(spec.summary), "", "%install"]
    if spec.files:
        lines.append(f"cp -a '{stage}/.' %{{buildroot}}/")
    # Own the payload as root whoever builds it, so headers do not vary by user.
    lines += ["", "%files", "%defattr(-,root,root,-)"]
    lines += [f'"{_escape(path)}"' for path in spec.files]
    return "\n".join(lines) + "\n"


def _write_spec(spec: Spec, index: int, workdir: Path) -> Path:
    """Write the spec file and stage its payload files; return the spec path."""
    stage = workdir / "stage" / str(index)
    stage.mkdir(parents=True)
    for path, content in spec.files.items():
        target = stage / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    spec_path = workdir / "specs" / f"{index}-{spec.name}.spec"
    spec_path.parent.mkdir(parents=True, exist_ok=True)
    spec_path.write_text(_spec_text(spec, stage), encoding="utf-8")
    return spec_path


@dataclass(frozen=True)
class _Job:
    """One rpmbuild run: specs of a single architecture, built in their own _topdir."""

    topdir: Path
    arch: str
    indexes: tuple[int, ...]


def _plan_jobs(specs: Sequence[Spec], workdir: Path) -> list[_Job]:
    """Group specs by architecture and cut each group into chunks to run in parallel.

    rpmbuild spends ~20-50 ms per spec in one process, so a few concurrent
    processes help; a chunk is never smaller than _MIN_CHUNK specs because each
    process also costs ~50 ms to start.
    """
    groups: dict[str, list[int]] = {}
    for index, spec in enumerate(specs):
        groups.setdefault(spec.arch, []).append(index)
    workers = os.cpu_count() or 1
    jobs: list[_Job] = []
    for arch, indexes in groups.items():
        size = max(_MIN_CHUNK, -(-len(indexes) // workers))
        for start in range(0, len(indexes), size):
            topdir = workdir / f"top{len(jobs)}"
            jobs.append(_Job(topdir, arch, tuple(indexes[start : start + size])))
    return jobs


def _rpmbuild_cmd(job: _Job, spec_paths: Sequence[Path]) -> list[str]:
    """rpmbuild command line for one job."""
    cmd = [
        "rpmbuild",
        "-bb",
        "--quiet",
        "--nodeps",  # build requirements of the host are irrelevant here
        "--define",
        f"_topdir {job.topdir}",
        # brp-compress/brp-strip would gzip man pages (renaming payload files)
        # and cost time; there is nothing to post-process in these packages.
        "--define",
        "__os_install_post %{nil}",
        "--define",
        "_buildhost localhost",
    ]
    if job.arch != "noarch":
        cmd += ["--target", job.arch]
    return cmd + [str(path) for path in spec_paths]


def _check_unique_filenames(specs: Sequence[Spec]) -> None:
    """Two specs differing only in epoch would overwrite each other's rpm file."""
    seen: set[str] = set()
    for spec in specs:
        if spec.rpm_filename in seen:
            raise ValueError(f"two specs build the same file {spec.rpm_filename}")
        seen.add(spec.rpm_filename)


def build_rpms(specs: Iterable[Spec], outdir: Path) -> list[Path]:
    """Build every spec and copy the rpms into ``outdir``; return their paths in order.

    Specs are batched per architecture, many specs on one ``rpmbuild -bb`` command
    line (chunks run in parallel), in throw-away ``_topdir``s with HOME pointed
    away from ``~/.rpmmacros``.  Every spec has ``AutoReqProv: no`` so the header
    holds exactly the dependencies given.  About 1 s for 20 packages on 2 CPUs.
    """
    spec_list = list(specs)
    _check_unique_filenames(spec_list)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rpmgraph-rpmbuild-") as tmp:
        workdir = Path(tmp)
        spec_paths = [_write_spec(spec, i, workdir) for i, spec in enumerate(spec_list)]
        jobs = _plan_jobs(spec_list, workdir)
        env = rpm_env(workdir)
        commands = [_rpmbuild_cmd(job, [spec_paths[i] for i in job.indexes]) for job in jobs]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            # list() re-raises the first RpmToolError, if any.
            list(pool.map(lambda cmd: _run(cmd, env), commands))
        built = {i: job.topdir for job in jobs for i in job.indexes}
        return [_collect(built[i], spec, outdir) for i, spec in enumerate(spec_list)]


def _collect(topdir: Path, spec: Spec, outdir: Path) -> Path:
    """Copy one built rpm from the default ``RPMS/ARCH/`` layout into ``outdir``."""
    built = topdir / "RPMS" / spec.arch / spec.rpm_filename
    if not built.is_file():
        raise FileNotFoundError(f"rpmbuild did not produce {built}")
    target = outdir / spec.rpm_filename
    shutil.copyfile(built, target)
    return target


def make_repo(rpmdir: Path, compress: str = "gz", comps: Path | None = None) -> Path:
    """Turn ``rpmdir`` into an rpm-md repository with createrepo_c; return ``rpmdir``.

    ``compress`` is createrepo_c's ``--general-compress-type``, applied to primary,
    filelists and other alike: ``gz``, ``xz`` or ``bz2`` on Debian 12, whose
    createrepo_c 0.17 rejects ``zstd`` ("Unknown/Unsupported compression type").
    No sqlite databases. ``comps`` is a comps.xml file, added as the ``group`` record
    and, compressed, ``group_gz`` (``-g``; createrepo_c reads a relative path from
    inside ``rpmdir``, so it is passed absolute).
    """
    groupfile = ["--groupfile", str(comps.resolve())] if comps is not None else []
    _run(
        [
            "createrepo_c",
            "--quiet",
            "--no-database",
            "--general-compress-type",
            compress,
            *groupfile,
            str(rpmdir),
        ]
    )
    return rpmdir


def _rpmdb_args(root: Path, dbpath: str) -> list[str]:
    """Options that point rpm at ``root`` and at ``dbpath`` inside it."""
    return ["--root", str(root.resolve()), "--dbpath", dbpath]


def install_into_rpmdb(root: Path, rpms: Sequence[Path], *, dbpath: str = RPMDB_DBPATH) -> None:
    """Create a real sqlite rpm database under ``root`` and register ``rpms`` in it.

    The database ends up at ``root / dbpath.lstrip("/")``, by default
    ``ROOT/var/lib/rpm/rpmdb.sqlite``: with ``--root``, rpm 4.18 takes ``--dbpath``
    *inside* the root.  The path is always given explicitly because Debian's rpm
    defaults ``%_dbpath`` to ``~/.rpmdb`` (so a bare ``--root R`` lands in
    ``R/root/.rpmdb``).  Read it back the same way, e.g. with the bindings::

        rpm.addMacro("_dbpath", "/var/lib/rpm")
        ts = rpm.TransactionSet(str(root))

    or ``rpm --root ROOT --dbpath /var/lib/rpm -qa`` (see :func:`query_rpmdb`).
    Packages are registered with ``--justdb`` (no files are written), without
    dependency, arch or OS checks and without running scriptlets.  This works as
    non-root too.
    """
    root.mkdir(parents=True, exist_ok=True)
    env = rpm_env(root)
    base = ["rpm", *_rpmdb_args(root, dbpath), "--define", "_db_backend sqlite"]
    _run([*base, "--initdb"], env)
    if not rpms:
        return
    flags = ["--justdb", "--nodeps", "--noscripts", "--notriggers"]
    flags += ["--ignorearch", "--ignoreos", "--nosignature"]
    _run([*base, "-i", *flags, *(str(p.resolve()) for p in rpms)], env)


def query_rpmdb(root: Path, *, dbpath: str = RPMDB_DBPATH) -> set[str]:
    """NEVRAs (epoch only when nonzero) registered in the rpmdb under ``root``."""
    qf = "%{NAME}-%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}.%{ARCH}\\n"
    out = _run(["rpm", *_rpmdb_args(root, dbpath), "-qa", "--qf", qf], rpm_env(root))
    return {line.replace("-0:", "-", 1) for line in out.splitlines() if line}
