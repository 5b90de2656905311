"""Ask the real dnf (as a subprocess) what it would do with local rpm-md repositories.

The answers serve as an oracle for rpmgraph's own libsolv-based resolution.  dnf is
isolated from the host: an empty ``--config`` file (Debian's /etc/dnf/dnf.conf sets
``best=False`` and ``skip_if_unavailable=True``), no system repositories
(``reposdir=/dev/null``), no plugins, a fixed ``--releasever``, no GPG checks, and a
private, empty ``--installroot`` per repository set.  Only the repositories given are
enabled, each through ``--repofrompath=rN,PATH``.

NEVRAs are returned as ``name-[epoch:]version-release.arch`` with the epoch only when
it is nonzero, the same format as :attr:`tests.support.rpmbuild.Spec.nevra`.

The installroot (and with it dnf's metadata cache, ``ROOT/var/cache/dnf``) is kept for
the life of the process and reused by every call on the same repositories with the
same ``repomd.xml`` contents, so the metadata is parsed into a .solv cache once.

Pitfalls of Debian 12's dnf 4.14 found while writing this:

* ``dnf install`` refuses to run as non-root even with ``--assumeno``;
  :func:`dnf_available` therefore also requires root.
* ``--assumeno`` makes dnf exit 1 ("Operation aborted.") on success too.
* ``--config /dev/null`` is rejected ("does not exist"): dnf wants a regular file.
* ``repoquery --whatrequires`` reports every version and every architecture of
  the requiring packages, even those ``--forcearch`` makes uninstallable;
  ``repoquery --requires --resolve`` prints only the latest installable version
  per name and arch but follows the requirements of *all* versions it meets.
* ``--forcearch=i686`` against a repository holding only x86_64 and aarch64 builds
  of a package makes ``dnf install`` pick the aarch64 one as "best candidate"
  and fail, rather than saying that nothing matches.
* Debian's createrepo_c 0.17 cannot write zstd metadata (see ``make_repo``).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "DnfError",
    "dnf_available",
    "dnf_available_set",
    "dnf_install_set",
    "dnf_modules_dir",
    "dnf_repoquery_recursive",
    "dnf_whatrequires_recursive",
]

#: --releasever value: any fixed one stops dnf probing the empty installroot for it.
RELEASEVER = "1"

# repoquery's format; the epoch is always printed and dropped later when it is 0.
_REPOQUERY_QF = "%{name}-%{epoch}:%{version}-%{release}.%{arch}"
_REPOQUERY_LINE = re.compile(r"^(?P<name>\S+)-(?P<epoch>\d+):(?P<vra>\S+-\S+\.\S+)$")
# dnf would expand $variables and split --repofrompath at commas.
_BAD_PATH_CHARS = frozenset(",$")

# Repository set key (and enabled module streams) -> private installroot, kept for the
# life of the process.
_ROOTS: dict[tuple[str, ...], Path] = {}


class DnfError(RuntimeError):
    """dnf failed, or could not resolve the request; ``stderr`` holds dnf's message."""

    def __init__(self, cmd: Sequence[str], returncode: int, stderr: str) -> None:
        super().__init__(f"dnf failed (exit code {returncode}): {' '.join(cmd)}\n{stderr}")
        self.cmd = list(cmd)
        self.returncode = returncode
        self.stderr = stderr


@functools.lru_cache(maxsize=1)
def dnf_available() -> bool:
    """True when a working ``dnf`` is on PATH and we are root.

    Root is required because ``dnf install`` refuses to run otherwise, even with
    ``--assumeno`` and a private installroot.
    """
    if shutil.which("dnf") is None or os.geteuid() != 0:
        return False
    try:
        proc = subprocess.run(
            ["dnf", "--version"],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=_dnf_env(),
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _dnf_env() -> dict[str, str]:
    """The caller's environment minus what could reconfigure dnf, in the C locale."""
    env = {
        key: value
        for key, value in os.environ.items()
        # DNF_VAR_x / DNF0..DNF9 set repo variables.
        if not key.startswith("DNF")
    }
    env["LC_ALL"] = "C"
    return env


def _repo_key(repo: Path) -> str:
    """Identify a repository by path and metadata, so a rebuilt repo gets a fresh cache."""
    repomd = repo / "repodata" / "repomd.xml"
    if not repomd.is_file():
        raise FileNotFoundError(f"not an rpm-md repository (no {repomd})")
    digest = hashlib.sha256(repomd.read_bytes()).hexdigest()
    return f"{repo}#{digest}"


def _installroot(repos: Sequence[Path], modules: Sequence[str] = ()) -> Path:
    """Private, empty installroot (plus empty dnf.conf beside it) for this repo set, with
    the module streams ``modules`` enabled in its ``etc/dnf/modules.d`` (by the caller)."""
    key = (*(_repo_key(repo) for repo in repos), *(f"module:{m}" for m in sorted(modules)))
    if key not in _ROOTS:
        base = Path(tempfile.mkdtemp(prefix="rpmgraph-dnf-"))
        atexit.register(shutil.rmtree, base, ignore_errors=True)
        (base / "dnf.conf").write_text("[main]\n", encoding="utf-8")
        (base / "root").mkdir()
        _ROOTS[key] = base / "root"
    return _ROOTS[key]


def _enable_modules(repos: Sequence[Path], arch: str | None, modules: Sequence[str]) -> None:
    """``dnf module enable MODULES`` in the installroot kept for ``modules`` (once)."""
    root = _installroot([repo.resolve() for repo in repos], modules)
    if not modules or (root / "etc" / "dnf" / "modules.d").is_dir():
        return
    cmd = [*_base_cmd(repos, arch, modules), "-y", "module", "enable", *modules]
    proc = _run_dnf(cmd)
    if proc.returncode != 0 or not (root / "etc" / "dnf" / "modules.d").is_dir():
        raise DnfError(cmd, proc.returncode, proc.stderr)


def dnf_modules_dir(repos: list[Path], modules: Sequence[str], arch: str | None = None) -> Path:
    """The ``etc/dnf/modules.d`` folder dnf wrote on ``dnf module enable MODULES``."""
    _enable_modules(repos, arch, modules)
    return _installroot([repo.resolve() for repo in repos], modules) / "etc" / "dnf" / "modules.d"


def _base_cmd(repos: Sequence[Path], arch: str | None, modules: Sequence[str] = ()) -> list[str]:
    """dnf options shared by every call: isolation plus the given repositories."""
    if not repos:
        raise ValueError("at least one repository is needed")
    resolved = [repo.resolve() for repo in repos]
    for repo in resolved:
        if _BAD_PATH_CHARS & set(str(repo)):
            raise ValueError(f"repository path must not contain ',' or '$': {repo}")
    root = _installroot(resolved, modules)
    cmd = [
        "dnf",
        "-q",
        f"--config={root.parent / 'dnf.conf'}",
        f"--installroot={root}",
        "--setopt=reposdir=/dev/null",
        "--noplugins",
        f"--releasever={RELEASEVER}",
        "--nogpgcheck",
        # A repository that cannot be read must fail the call, not vanish.
        "--setopt=skip_if_unavailable=False",
    ]
    if arch is not None:
        cmd.append(f"--forcearch={arch}")
    cmd += [f"--repofrompath=r{i},{repo}" for i, repo in enumerate(resolved)]
    return cmd


def _run_dnf(cmd: Sequence[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run dnf without a terminal; the caller judges the exit code."""
    return subprocess.run(
        list(cmd),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=_dnf_env(),
        check=False,
    )


def dnf_install_set(
    repos: list[Path],
    roots: list[str],
    weak: bool = True,
    arch: str | None = None,
    *,
    best: bool = True,
    setopts: Sequence[str] = (),
    modules: Sequence[str] = (),
) -> set[str]:
    """NEVRAs that ``dnf install ROOTS`` would install on an empty system.

    Runs ``dnf install --assumeno --debugsolver ROOTS`` and reads the solver's
    transaction from ``debugdata/rpms/solver.result`` (libsolv testcase format,
    ``install NEVRA@REPO`` lines) instead of parsing the human-oriented table.
    That file is written right after resolution, needs no rpm payloads (so it
    also works on metadata-only repositories) and spells NEVRAs exactly in our
    format.  ``weak`` sets ``install_weak_deps``; ``arch`` is passed as
    ``--forcearch``; ``best=True`` (Fedora's dnf.conf setting, unlike dnf's
    built-in default) makes dnf fail rather than quietly fall back to older
    versions.  ``setopts`` are more ``--setopt`` values, such as
    ``group_package_types=mandatory,default,conditional,optional`` (what ``dnf group
    install --with-optional`` uses for ``@group`` roots); ``modules`` are ``NAME:STREAM``
    streams enabled first (``dnf module enable``; roots ``@NAME:STREAM[/PROFILE]`` work
    too).  Raises :class:`DnfError` when dnf cannot resolve the request.
    """
    if not roots:
        raise ValueError("at least one package to install is needed")
    _enable_modules(repos, arch, modules)
    cmd = _base_cmd(repos, arch, modules)
    cmd += [
        f"--setopt=install_weak_deps={weak}",
        f"--setopt=best={best}",
        *(f"--setopt={opt}" for opt in setopts),
        "--assumeno",
        "--debugsolver",
        "install",
        *roots,
    ]
    return solver_transaction(cmd)


def solver_transaction(cmd: Sequence[str]) -> set[str]:
    """Run a dnf command given ``--debugsolver`` and read the NEVRAs its solver installs
    from ``debugdata/rpms/solver.result``; DnfError when dnf cannot resolve it."""
    with tempfile.TemporaryDirectory(prefix="rpmgraph-dnf-debug-") as tmp:
        # --debugsolver writes ./debugdata relative to the working directory.
        proc = _run_dnf(cmd, cwd=Path(tmp))
        result = Path(tmp) / "debugdata" / "rpms" / "solver.result"
        lines = result.read_text(encoding="utf-8").splitlines() if result.is_file() else None
    if lines is None or "Error:" in proc.stderr:
        raise DnfError(cmd, proc.returncode, proc.stderr)
    return _parse_solver_result(cmd, proc, lines)


def _parse_solver_result(
    cmd: Sequence[str], proc: subprocess.CompletedProcess[str], lines: list[str]
) -> set[str]:
    """``install NEVRA@REPO`` lines to NEVRAs; any other line means a problem."""
    nevras: set[str] = set()
    for line in lines:
        kind, _, rest = line.partition(" ")
        if kind != "install":
            # "problem ..." lines; on an empty system nothing else can occur.
            raise DnfError(cmd, proc.returncode, proc.stderr + "\n".join(lines))
        nevra, _, _repo = rest.rpartition("@")
        nevras.add(nevra)
    return nevras


def _normalize_repoquery(cmd: Sequence[str], stdout: str) -> set[str]:
    """Parse ``name-epoch:version-release.arch`` lines, dropping a zero epoch."""
    nevras: set[str] = set()
    for line in stdout.splitlines():
        match = _REPOQUERY_LINE.match(line.strip())
        if match is None:
            if line.strip():
                raise DnfError(cmd, 0, f"unexpected repoquery output line: {line!r}")
            continue
        epoch = match["epoch"]
        prefix = "" if epoch == "0" else f"{epoch}:"
        nevras.add(f"{match['name']}-{prefix}{match['vra']}")
    return nevras


def _repoquery(repos: Sequence[Path], arch: str | None, args: Sequence[str],
               modules: Sequence[str] = ()) -> set[str]:
    """Run ``dnf repoquery`` with our format and return the NEVRAs it prints."""
    _enable_modules(repos, arch, modules)
    cmd = _base_cmd(repos, arch, modules)
    cmd += ["repoquery", f"--qf={_REPOQUERY_QF}", *args]
    proc = _run_dnf(cmd)
    if proc.returncode != 0:
        raise DnfError(cmd, proc.returncode, proc.stderr)
    return _normalize_repoquery(cmd, proc.stdout)


def dnf_repoquery_recursive(repos: list[Path], root: str, arch: str | None = None,
                            modules: Sequence[str] = ()) -> set[str]:
    """NEVRAs of ``dnf repoquery --requires --resolve --recursive ROOT``.

    The providers of ROOT's requirements, transitively (hard requires only, no weak
    deps); ROOT itself is included only if something in the closure requires it.
    dnf follows the requirements of every version of every package reached but
    prints only the latest version per name and arch among the architectures
    installable here (or on ``arch``, passed as ``--forcearch``).  An unknown ROOT
    gives an empty set, as with dnf.
    """
    return _repoquery(repos, arch, ["--requires", "--resolve", "--recursive", root], modules)


def dnf_available_set(repos: list[Path], arch: str | None = None,
                      modules: Sequence[str] = ()) -> set[str]:
    """NEVRAs of every package ``dnf repoquery`` shows (all versions, every arch
    installable here): what module filtering (with ``modules`` enabled) leaves visible."""
    return _repoquery(repos, arch, [], modules)


def dnf_whatrequires_recursive(repos: list[Path], name: str) -> set[str]:
    """NEVRAs of ``dnf repoquery --whatrequires NAME --alldeps --recursive``.

    Every package that requires NAME directly or transitively.  ``--alldeps``
    (dnf's default, spelled out) matters: besides requirements on the string NAME
    it matches requirements on anything the packages *named* NAME provide,
    including their files and versioned provides; ``--exactdeps`` would match the
    literal capability only and cannot be combined with ``--recursive``.  Weak
    dependencies do not count (that would be ``--whatdepends``).  Every version
    and every architecture in the repositories is reported (``--forcearch`` does
    not change that, hence no ``arch`` parameter).
    """
    return _repoquery(repos, None, ["--whatrequires", name, "--alldeps", "--recursive"])
