"""Ask the real ``dnf builddep`` (dnf-plugins-core) what buildroot it would install.

The same isolation as ``tests.support.dnf`` (empty config, private empty installroot, no
system repositories, fixed releasever), with every plugin disabled but builddep; the
transaction is read from ``--debugsolver``'s ``solver.result``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tests.support.dnf import _base_cmd, solver_transaction

__all__ = ["dnf_builddep_set"]


def dnf_builddep_set(repos: Sequence[Path], srpm: Path | Sequence[Path], *,
                     weak: bool = True, best: bool = True) -> set[str]:
    """NEVRAs ``dnf builddep --assumeno SRPM...`` would install on an empty system (of
    several source rpms, in one transaction); raises DnfError when dnf cannot (a
    BuildRequires nothing provides, a conflict)."""
    srpms = [srpm] if isinstance(srpm, Path) else list(srpm)
    cmd = [arg for arg in _base_cmd(list(repos), None) if arg != "--noplugins"]
    cmd += ["--disableplugin=*", "--enableplugin=builddep",
            f"--setopt=install_weak_deps={weak}", f"--setopt=best={best}",
            "--assumeno", "--debugsolver", "builddep", *(str(s.resolve()) for s in srpms)]
    return solver_transaction(cmd)
