#!/usr/bin/env python3
"""Check the sample repositories with a real dnf: every openstack-* package installs.

For each release and each openstack-* package this asks dnf to install the package
into an empty install root (answering "no" before anything is downloaded), with and
without weak dependencies, and checks that

* dnf finds a solution (every dependency is satisfiable from the repository);
* euca2ools-extras, the package whose dependency nothing provides, is never pulled in;
* memcached, only recommended by python-nova, comes in with weak dependencies only.

    python3 sample_repos/check_with_dnf.py [RELEASE ...]

Needs dnf (Debian: apt-get install dnf); stdlib only.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
RELEASES = {"essex": 17, "folsom": 18, "grizzly": 19}
UNRESOLVABLE = "euca2ools-extras"
RECOMMENDED_ONLY = "memcached"

# A row of dnf's transaction table: name, arch, version, repository, size.
ROW = re.compile(r"^ (\S+)\s+(noarch|x86_64)\s+\S+\s+\S+\s+[\d.]+ [kMG]?\s*$")


def dnf_command(release: str, workdir: Path, weak: bool, package: str) -> list[str]:
    return [
        "dnf",
        f"--installroot={workdir / 'root'}",
        f"--releasever={RELEASES[release]}",
        "--setopt=reposdir=/dev/null",
        f"--setopt=cachedir={workdir / 'cache'}",
        f"--setopt=install_weak_deps={weak}",
        "--disableplugin=*",
        "--nogpgcheck",
        f"--repofrompath={release},{HERE / release}",
        f"--repo={release}",
        "install",
        "--assumeno",
        package,
    ]


def closure(release: str, workdir: Path, weak: bool, package: str) -> set[str]:
    """Names dnf would install for `package`; exits when dnf finds no solution."""
    env = dict(os.environ, COLUMNS="250", LC_ALL="C.UTF-8")
    cmd = dnf_command(release, workdir, weak, package)
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    names = {m.group(1) for line in result.stdout.splitlines() if (m := ROW.match(line))}
    # --assumeno: a solvable request ends with dnf declining to go on.
    if "Operation aborted" not in result.stdout + result.stderr or package not in names:
        sys.stderr.write(" ".join(cmd) + "\n" + result.stdout + result.stderr)
        raise SystemExit(f"{release}: dnf cannot install {package}")
    return names


def openstack_names(release: str) -> list[str]:
    names = {p.name.rsplit("-", 2)[0] for p in (HERE / release / "Packages").glob("*.rpm")}
    return sorted(n for n in names if n.startswith("openstack-"))


def check_release(release: str) -> None:
    problems = []
    with tempfile.TemporaryDirectory(prefix=f"dnf-{release}-") as tmp:
        workdir = Path(tmp)
        for name in openstack_names(release):
            strict = closure(release, workdir, False, name)
            weak = closure(release, workdir, True, name)
            if UNRESOLVABLE in strict | weak:
                problems.append(f"{name} pulls in {UNRESOLVABLE}")
            if RECOMMENDED_ONLY in strict:
                problems.append(f"{name} requires {RECOMMENDED_ONLY}")
            extra = sorted(weak - strict)
            print(f"{release} {name}: {len(strict)} packages, with weak deps +{extra}")
        nova = closure(release, workdir, True, "openstack-nova")
        if RECOMMENDED_ONLY not in nova:
            problems.append(f"openstack-nova with weak deps lacks {RECOMMENDED_ONLY}")
    if problems:
        raise SystemExit(f"{release}: " + "; ".join(problems))


def main(argv: Sequence[str]) -> int:
    for release in argv or RELEASES:
        check_release(release)
    print("all openstack-* packages install")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
