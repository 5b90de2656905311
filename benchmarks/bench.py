#!/usr/bin/env python3
"""rpmgraph against dnf on a synthetic distribution-scale repository: ``make bench``.

    python3 benchmarks/bench.py [--packages 70000] [--seed 1] [--runs 5] [--big-runs 5]
                                [--warm-runs 15]

Generates the repository (benchmarks/generate.py) into benchmarks/.data/ when it
is missing, installs dnf and dnf-plugins-core (for ``dnf repograph``) when they
are missing, then times on this machine, in one run, the median of several runs (the
runs of the commands compared taking turns):

1. one root, cold: ``rpmgraph graph --policy all ROOT -o x.dot`` with an empty
   cache against ``dnf repoquery --requires --resolve --recursive ROOT`` with an
   empty dnf cache;
2. one root, warm: the same, both caches filled;
3. batch: one DOT file per ``openstack-*`` root in one rpmgraph run (``-O dir``),
   against the warm one-root time;
4. whole repository (``'*'``, ``--policy all``) to DOT and to GraphML, against
   ``dnf repograph``, with the peak memory (max RSS) of each;
5. SVG for every root of sample_repos/essex, serial (``RPMGRAPH_JOBS=1``)
   against parallel.

With 1 and 2 it times, taking turns with them, the floor under any tool built on
rpmgraph's parts (benchmarks/floor.py): libsolv alone parsing the metadata cold, and
the imports every graph command needs plus libsolv loading the cache warm. Their
phases are printed under the table: they are the profile of what bounds those targets.

dnf runs isolated from the host as tests/support/dnf.py does it: an empty
``--config`` file, a private ``--installroot`` (which holds its cache),
``reposdir=/dev/null``, ``--repofrompath``, ``--nogpgcheck``, ``--noplugins``
(``repograph`` is a plugin: there only it is enabled) and ``-q``.  rpmgraph's
cache follows ``XDG_CACHE_HOME``, pointed at a private folder.  Stdlib only.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DATA = HERE / ".data"
ESSEX = PROJECT / "sample_repos" / "essex"
VENV_PYTHON = str(PROJECT / ".venv" / "bin" / "python")


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    max_rss_kib: int
    turns: tuple[float, ...] = ()  # a median's runs, in the order they were taken


def turn_ratios(ours: Run, theirs: Run) -> tuple[float, ...]:
    """Each turn's ratio, ours over theirs, for two cases that took turns (see
    ``side_by_side``): runs a moment apart, so a slow minute weighs on both."""
    if len(ours.turns) != len(theirs.turns):
        return ()
    return tuple(a / b for a, b in zip(ours.turns, theirs.turns, strict=True) if b)


@dataclass(slots=True)
class Row:
    what: str
    ours: float
    theirs: float | None
    against: str
    target: float | None  # ratio ours/theirs must be at most this
    ours_rss: int | None = None
    theirs_rss: int | None = None
    note: str = ""  # printed under the table
    turns: tuple[float, ...] = ()  # turn_ratios of the two measurements, when they took turns

    @property
    def ratio(self) -> float | None:
        return self.ours / self.theirs if self.theirs else None

    @property
    def verdict(self) -> str:
        if self.target is None or self.ratio is None:
            return ""
        return "met" if self.ratio <= self.target else "NOT met"

    def turns_note(self) -> str:
        """The spread of the turns' ratios, and in how many the target was met: a median
        ratio near the target says little on a shared machine without it."""
        if not self.turns:
            return ""
        text = (f"turn by turn {min(self.turns):.2f}x-{max(self.turns):.2f}x "
                f"(median {statistics.median(self.turns):.2f}x)")
        if self.target is not None:
            met = sum(ratio <= self.target for ratio in self.turns)
            text += f", within {self.target:g}x in {met} of {len(self.turns)} turns"
        return text


# ---------------------------------------------------------------- running things


def run(cmd: Sequence[str], env: dict[str, str] | None = None, out: Path | None = None,
        cwd: Path | None = None) -> Run:
    """Run once; wall time and the peak RSS of the process (wait4's rusage).

    Linux counts the memory a child had before exec (a copy of this process) in its
    peak RSS, so this process keeps small: the figures carry its ~20 MiB at most."""
    stdout = out.open("wb") if out else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=stdout, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, cwd=cwd)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if out:
        stdout.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n"
                 f"{err.decode(errors='replace')[-2000:]}")
    return Run(seconds, usage.ru_maxrss)


@dataclass(frozen=True)
class Case:
    """One command to time: what it is called, how to run it once, what to do before."""

    label: str
    once: Callable[[], Run]
    prepare: Callable[[], None] | None = None


def median(runs: int, once: Callable[[], Run], prepare: Callable[[], None] | None = None,
           label: str = "") -> Run:
    """Median time (and the largest peak RSS) over ``runs`` runs."""
    return side_by_side(runs, [Case(label, once, prepare)])[0]


def side_by_side(runs: int, cases: Sequence[Case]) -> list[Run]:
    """Each case's median time and largest peak RSS over ``runs`` runs, the cases taking
    turns (A B A B ...): on a shared machine a slow minute then weighs on every side
    alike instead of on whichever ran during it."""
    results: list[list[Run]] = [[] for _ in cases]
    for _ in range(runs):
        for case, found in zip(cases, results, strict=True):
            if case.prepare:
                case.prepare()
            found.append(case.once())
    summary = []
    for case, found in zip(cases, results, strict=True):
        best = Run(statistics.median(r.seconds for r in found),
                   max(r.max_rss_kib for r in found), tuple(r.seconds for r in found))
        print(f"  {case.label:<58} {best.seconds:8.3f} s  {best.max_rss_kib / 1024:8.0f} MiB",
              file=sys.stderr)
        summary.append(best)
    return summary


# ---------------------------------------------------------------- dnf


def ensure_dnf() -> None:
    """dnf and its repograph plugin, from the distribution, when missing."""
    have_dnf = shutil.which("dnf") is not None
    have_graph = have_dnf and _dnf_has_repograph()
    if have_dnf and have_graph:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if shutil.which("apt-get"):
        names = ["dnf", "dnf-plugins-core"]
        print(f"bench: installing {' '.join(names)}", file=sys.stderr)
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
        subprocess.run([*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install",
                        "-y", "-qq", *names], check=True, stdout=subprocess.DEVNULL)
    elif have_dnf:
        subprocess.run([*sudo, "dnf", "install", "-y", "-q", "dnf-plugins-core"], check=True)
    else:
        sys.exit("bench: install dnf and dnf-plugins-core first")


def _dnf_has_repograph() -> bool:
    return any(Path(p).joinpath("repograph.py").exists() for p in (
        "/usr/lib/python3/dist-packages/dnf-plugins",
        *(f"/usr/lib/python3.{m}/site-packages/dnf-plugins" for m in range(6, 16))))


class Dnf:
    """An isolated dnf on one repository; ``reset`` empties its cache."""

    def __init__(self, repo: Path, scratch: Path) -> None:
        self.repo = repo
        self.base = scratch / "dnf"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DNF")}
        self.env["LC_ALL"] = "C"
        self.reset()

    def reset(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)
        (self.base / "root").mkdir(parents=True)
        (self.base / "dnf.conf").write_text("[main]\n", encoding="utf-8")

    def cmd(self, *args: str, plugin: str | None = None) -> list[str]:
        plugins = (["--disableplugin=*", f"--enableplugin={plugin}"] if plugin
                   else ["--noplugins"])
        return ["dnf", "-q", f"--config={self.base / 'dnf.conf'}",
                f"--installroot={self.base / 'root'}", "--setopt=reposdir=/dev/null",
                *plugins, "--releasever=1", "--nogpgcheck",
                f"--repofrompath=r0,{self.repo}", *args]

    def run(self, *args: str, plugin: str | None = None, out: Path | None = None) -> Run:
        return run(self.cmd(*args, plugin=plugin), env=self.env, out=out)


# ---------------------------------------------------------------- rpmgraph


class Rpmgraph:
    def __init__(self, scratch: Path) -> None:
        self.exe = str(PROJECT / ".venv" / "bin" / "rpmgraph")
        self.cache = scratch / "cache"
        self.env = dict(os.environ, XDG_CACHE_HOME=str(self.cache))
        self.env.pop("RPMGRAPH_JOBS", None)

    def reset(self) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)
        self.cache.mkdir(parents=True)

    def run(self, *args: str, jobs: int | None = None) -> Run:
        env = dict(self.env)
        if jobs is not None:
            env["RPMGRAPH_JOBS"] = str(jobs)
        return run([self.exe, *args], env=env)

    def primary_solv(self) -> Path:
        """The cached primary.solv (with the file provides) a cold run left behind."""
        return next((self.cache / "rpmgraph" / "repos").glob("*/*/primary.solv"))


class Floor:
    """benchmarks/floor.py: what libsolv, and the imports every graph command needs,
    take by themselves for one root; the phases of its last run are kept."""

    def __init__(self, out: Path) -> None:
        self.out = out

    def run(self, mode: str, path: Path) -> Run:
        return run([VENV_PYTHON, str(HERE / "floor.py"), mode, str(path)], out=self.out)

    def phases(self) -> str:
        pairs = (line.rsplit(" ", 1) for line in self.out.read_text().splitlines())
        return ", ".join(f"{name} {float(seconds):.3f} s" for name, seconds in pairs)

    def row(self, mode: str, floor: Run, ours: Run, dnf: Run) -> Row:
        what = "imports and libsolv load" if mode == "warm" else "libsolv parse"
        return Row(f"  floor: {what} alone, {mode}", floor.seconds, dnf.seconds,
                   f"dnf, {mode}", None,
                   note=f"rpmgraph = {ours.seconds / floor.seconds:.2f}x this floor; "
                   f"the floor's last run: {self.phases()}, the interpreter's start the rest")


# ---------------------------------------------------------------- the measurements


def openstack_names(repo: Path) -> list[str]:
    """Read line by line: this process must stay small (see ``run``)."""
    primary = next((repo / "repodata").glob("*-primary.xml.gz"))
    pattern = re.compile(r"<name>(openstack-[^<]+)</name>")
    with gzip.open(primary, "rt", encoding="utf-8") as lines:
        return sorted({m[1] for line in lines if (m := pattern.search(line))})


def measure(repo: Path, scratch: Path, runs: int, big_runs: int, warm_runs: int,
            skip_whole: bool) -> list[Row]:
    dnf, ours = Dnf(repo, scratch), Rpmgraph(scratch)
    roots = openstack_names(repo)
    root = next(n for n in roots[len(roots) // 2:] if n.endswith("-api"))
    out = scratch / "out"
    out.mkdir()
    print(f"bench: {repo} ({len(roots)} openstack-* packages), root {root}", file=sys.stderr)
    one = ["graph", "--repo", str(repo), "--policy", "all", root, "-o", str(out / "x.dot")]
    query = ("repoquery", "--requires", "--resolve", "--recursive", root)
    rows: list[Row] = []

    floor = Floor(scratch / "floor.txt")
    cold_ours, cold_dnf, cold_floor = side_by_side(runs, [
        Case("rpmgraph one root, cold", lambda: ours.run(*one), ours.reset),
        Case("dnf repoquery, cold", lambda: dnf.run(*query), dnf.reset),
        Case("floor: libsolv alone, cold", lambda: floor.run("cold", repo))])
    rows.append(Row("one root, cold", cold_ours.seconds, cold_dnf.seconds,
                    "dnf repoquery --recursive, cold", 0.15,
                    turns=turn_ratios(cold_ours, cold_dnf)))
    rows.append(floor.row("cold", cold_floor, cold_ours, cold_dnf))
    primary_solv = ours.primary_solv()
    warm_ours, warm_dnf, warm_floor = side_by_side(warm_runs, [
        Case("rpmgraph one root, warm", lambda: ours.run(*one)),
        Case("dnf repoquery, warm", lambda: dnf.run(*query)),
        Case("floor: imports and libsolv alone, warm",
             lambda: floor.run("warm", primary_solv))])
    rows.append(Row("one root, warm", warm_ours.seconds, warm_dnf.seconds,
                    "dnf repoquery --recursive, warm", 1.0,
                    turns=turn_ratios(warm_ours, warm_dnf)))
    rows.append(floor.row("warm", warm_floor, warm_ours, warm_dnf))

    batch = ["graph", "--repo", str(repo), "--policy", "all", "openstack-*",
             "-O", str(out / "batch")]
    many = median(big_runs, lambda: ours.run(*batch), label=f"rpmgraph {len(roots)} roots -O")
    rows.append(Row(f"batch: {len(roots)} openstack-* roots", many.seconds,
                    warm_ours.seconds, "rpmgraph one root, warm", 20.0))

    if not skip_whole:
        rows += whole(repo, out, ours, dnf, big_runs)

    svg = ["graph", "--repo", str(ESSEX), "openstack-*", "-O", str(out / "svg"),
           "--format", "svg"]
    serial = median(runs, lambda: ours.run(*svg, jobs=1), label="essex SVGs, RPMGRAPH_JOBS=1")
    parallel = median(runs, lambda: ours.run(*svg), label=f"essex SVGs, {os.cpu_count()} CPUs")
    rows.append(Row("essex openstack-* SVGs, parallel", parallel.seconds, serial.seconds,
                    "the same, serial", None))
    return rows


def whole(repo: Path, out: Path, ours: Rpmgraph, dnf: Dnf, runs: int) -> list[Row]:
    formats = ("dot", "graphml")
    cases = [Case("dnf repograph, warm",
                  lambda: dnf.run("repograph", plugin="repograph", out=out / "repograph.dot"))]
    for fmt in formats:
        args = ["graph", "--repo", str(repo), "--policy", "all", "*", "-o",
                str(out / f"all.{fmt}")]
        cases.append(Case(f"rpmgraph '*' -> {fmt}", functools.partial(ours.run, *args)))
    graph, *mine = side_by_side(runs, cases)
    return [Row(f"whole repository -> {fmt}", run.seconds, graph.seconds, "dnf repograph",
                1.0, run.max_rss_kib, graph.max_rss_kib, turns=turn_ratios(run, graph))
            for fmt, run in zip(formats, mine, strict=True)]


# ---------------------------------------------------------------- report


def table(rows: list[Row]) -> str:
    head = ("| measurement | rpmgraph | reference | reference time | ratio | target | "
            "peak RSS rpmgraph / reference |")
    lines = [head, "|---|---:|---|---:|---:|---:|---|"]
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        target = f"<= {r.target:g}x {r.verdict}" if r.target is not None else ""
        rss = ""
        if r.ours_rss and r.theirs_rss:
            factor = r.ours_rss / r.theirs_rss
            rss = (f"{r.ours_rss / 1024:.0f} / {r.theirs_rss / 1024:.0f} MiB = {factor:.2f}x "
                   f"(<= 2x {'met' if factor <= 2 else 'NOT met'})")
        theirs = f"{r.theirs:.3f} s" if r.theirs is not None else ""
        lines.append(f"| {r.what} | {r.ours:.3f} s | {r.against} | {theirs} | {ratio} | "
                     f"{target} | {rss} |")
    notes = [f"- {r.what.strip()}: {'; '.join(filter(None, (r.turns_note(), r.note)))}"
             for r in rows if r.note or r.turns]
    return "\n".join(lines + (["", *notes] if notes else []))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text(encoding="utf-8").split("\n")[0].split()[1]
        memory = f"{int(mem) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        memory = ""
    dnf = subprocess.run(["dnf", "--version"], capture_output=True, text=True, check=False)
    return (f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs, {memory}; "
            f"{platform.platform()}; Python {platform.python_version()}; "
            f"dnf {dnf.stdout.split(chr(10))[0].strip()}")


def compile_bytecode() -> None:
    """Byte-compile rpmgraph as a regular install does (pip writes the .pyc files; the
    editable install of a checkout does not, and with PYTHONDONTWRITEBYTECODE set every
    run would compile its modules again: 30 ms of each warm run). dnf's are compiled."""
    subprocess.run([VENV_PYTHON, "-m", "compileall", "-q",
                    str(PROJECT / "rpmgraph")], check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=70000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs of the quick measurements")
    parser.add_argument("--big-runs", type=int, default=5, help="runs of batch and whole")
    parser.add_argument("--warm-runs", type=int, default=15,
                        help="runs of the warm one-root measurement (0.3 s each)")
    parser.add_argument("--skip-whole", action="store_true")
    args = parser.parse_args(argv)
    ensure_dnf()
    repo = DATA / f"distro-{args.packages}-s{args.seed}"
    if not (repo / "repodata" / "repomd.xml").is_file():
        # In a child process: the peak RSS of every later child counts this process's
        # memory at fork time (Linux keeps it across exec), so it must stay small.
        print(f"bench: generating {repo}", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--packages",
                        str(args.packages), "--seed", str(args.seed), str(repo)], check=True)
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="rpmgraph-bench-") as tmp:
        rows = measure(repo, Path(tmp), args.runs, args.big_runs, args.warm_runs,
                       args.skip_whole)
    print(f"\n{machine()}\n{args.packages} packages (seed {args.seed}); medians of "
          f"{args.runs} runs ({args.warm_runs} warm, {args.big_runs} for batch and whole "
          "repository), each comparison's runs taking turns\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
