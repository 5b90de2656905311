#!/usr/bin/env python3
"""rpmgraph against dnf on a synthetic distribution-scale repository: ``make bench``.

    python3 benchmarks/bench.py [--packages 70000] [--seed 1] [--shape full|realistic|both]
                                [--runs 5] [--big-runs 5] [--warm-runs 15] [--dnf-sample 20]

Generates the repository (benchmarks/generate.py, in the shape asked for) into
benchmarks/.data/ when it is missing, installs dnf and dnf-plugins-core (for ``dnf
repograph``) when they are missing, then times on this machine, in one run, the median
of several runs (the runs of the commands compared taking turns), under both resolution
policies (the table's policy column says which each row measures):

1. one root, cold: ``rpmgraph graph --policy all ROOT -o x.dot`` with an empty
   cache against ``dnf repoquery --requires --resolve --recursive ROOT`` with an
   empty dnf cache, and ``rpmgraph graph ROOT -o x.dot`` (the default policy,
   install) against ``dnf install --assumeno ROOT`` in an empty installroot
   (``best=True``, as rpmgraph's default ``--best``);
2. one root, warm: the same, both caches filled, and the install-policy run against
   the all-policy run of the same root; once, outside the timed runs, whether dnf's
   transaction (``--debugsolver``) and rpmgraph's install graph hold the same packages;
3. batch: one DOT file per ``openstack-*`` root in one rpmgraph run (``-O dir -f
   dot``) under each policy, against each other, against the warm one-root time of
   the same policy, and the install batch against a warm ``dnf install --assumeno
   ROOT`` loop: a seeded sample of the roots (``--dnf-sample``, 0 for all of them)
   timed and extrapolated to every root;
4. whole repository (``'*'``, ``--policy all``) to DOT and to GraphML, against
   ``dnf repograph``, with the peak memory (max RSS) of each;
5. SVG for every root of sample_repos/essex (install policy), serial
   (``RPMGRAPH_JOBS=1``) against parallel.

The one root is the first ``openstack-*-api`` of the second half of the names that dnf
can install (the generated repository has a few dependencies nothing provides).
``--shape both`` measures the full and the realistic shape one after the other and
prints a table for each.

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
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DATA = HERE / ".data"
ESSEX = PROJECT / "sample_repos" / "essex"
VENV_PYTHON = str(PROJECT / ".venv" / "bin" / "python")
SHAPES = ("full", "realistic")  # benchmarks/generate.py's --shape


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
    policy: str = ""  # rpmgraph's resolution policy the row measures (INSTALL, ALL, BOTH)

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

#: Policies a row can measure; a row comparing the two says "install / all".
INSTALL, ALL, BOTH = "install", "all", "install / all"


def run(cmd: Sequence[str], env: dict[str, str] | None = None, out: Path | None = None,
        cwd: Path | None = None, ok: Callable[[int, bytes], bool] | None = None) -> Run:
    """Run once; wall time and the peak RSS of the process (wait4's rusage). It must
    succeed: exit 0, or whatever ``ok(returncode, stderr)`` accepts.

    Linux counts the memory a child had before exec (a copy of this process) in its
    peak RSS, so this process keeps small: the figures carry its ~20 MiB at most."""
    result, returncode, err = spawn(cmd, env, out, cwd)
    if not (ok(returncode, err) if ok else returncode == 0):
        sys.exit(f"bench: {' '.join(cmd)} failed ({returncode}):\n"
                 f"{err.decode(errors='replace')[-2000:]}")
    return result


def spawn(cmd: Sequence[str], env: dict[str, str] | None = None, out: Path | None = None,
          cwd: Path | None = None) -> tuple[Run, int, bytes]:
    """Run once, whatever it exits with: the time and peak RSS, exit code and stderr.

    The time runs to the process's exit, which is when a shell gives the prompt back:
    a cold rpmgraph leaves the writing of its cache to a child that keeps stderr open
    a moment longer (rpmgraph/sources/writebehind.py). That moment is waited for before
    the next run, so that the writer never shares the CPUs with a timed run."""
    stdout = out.open("wb") if out else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=stdout, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, cwd=cwd)
    stderr = proc.stderr
    assert stderr is not None
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(stderr.read()))
    reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    reader.join()
    err = chunks[0]
    proc.returncode = os.waitstatus_to_exitcode(status)
    if out:
        stdout.close()  # type: ignore[union-attr]
    return Run(seconds, usage.ru_maxrss), proc.returncode, err


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

    def install_cmd(self, root: str, *more: str) -> list[str]:
        """``dnf install --assumeno ROOT`` on the empty installroot: the set dnf would
        install, solved with ``best=True`` (rpmgraph's default ``--best``)."""
        return self.cmd("--setopt=best=True", *more, "--assumeno", "install", root)

    def install(self, root: str) -> Run:
        """Time ``install_cmd``; dnf must have solved it (it exits 1 then too)."""
        return run(self.install_cmd(root), env=self.env, ok=installed)

    def try_install(self, root: str) -> tuple[Run, bool]:
        """Time ``install_cmd`` and say whether dnf could install ROOT."""
        result, returncode, err = spawn(self.install_cmd(root), env=self.env)
        return result, installed(returncode, err)

    def install_set(self, root: str, scratch: Path) -> set[str]:
        """NEVRAs of the transaction (``--debugsolver``'s solver.result, written into
        ``scratch``), ``name-[epoch:]version-release.arch`` as rpmgraph names nodes."""
        run(self.install_cmd(root, "--debugsolver"), env=self.env, cwd=scratch, ok=installed)
        result = scratch / "debugdata" / "rpms" / "solver.result"
        lines = result.read_text(encoding="utf-8").splitlines()
        return {line.split(" ", 1)[1].rpartition("@")[0] for line in lines
                if line.startswith("install ")}


def installed(returncode: int, stderr: bytes) -> bool:
    """``dnf install --assumeno`` solved the request: it exits 1 ("Operation aborted")
    on success as on failure, and only a failure says "Error:"."""
    return returncode in {0, 1} and b"Error:" not in stderr


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


@dataclass(frozen=True)
class Settings:
    """How many runs of what: the command line's options."""

    runs: int = 5
    big_runs: int = 5
    warm_runs: int = 15
    dnf_sample: int = 20  # roots of the warm dnf loop timed; 0: every root
    seed: int = 1
    skip_whole: bool = False


def pick_root(dnf: Dnf, roots: list[str]) -> str:
    """The first ``-api`` root of the second half of the names (then any other) that
    dnf can install: timing a transaction dnf refuses would compare nothing."""
    half = roots[len(roots) // 2:]
    for name in [n for n in half if n.endswith("-api")] + half + roots:
        if dnf.try_install(name)[1]:
            return name
    sys.exit("bench: dnf can install none of the openstack-* packages")


class DnfLoop:
    """The warm loop a user would otherwise run, ``dnf install --assumeno ROOT`` per root,
    timed on a seeded sample of the roots and extrapolated to all of them."""

    def __init__(self, dnf: Dnf, roots: list[str], sample: int, seed: int) -> None:
        self.dnf, self.total, self.seed = dnf, len(roots), seed
        self.sample = (sorted(random.Random(seed).sample(roots, sample))
                       if 0 < sample < len(roots) else list(roots))
        self.refused: set[str] = set()

    def once(self) -> Run:
        seconds, rss = 0.0, 0
        for root in self.sample:
            result, ok = self.dnf.try_install(root)
            seconds, rss = seconds + result.seconds, max(rss, result.max_rss_kib)
            if not ok:
                self.refused.add(root)
        return Run(seconds * self.total / len(self.sample), rss)

    def label(self) -> str:
        if len(self.sample) == self.total:
            return f"dnf install --assumeno, each of the {self.total} roots, warm"
        return (f"dnf install --assumeno per root, warm: {len(self.sample)} of "
                f"{self.total} roots, x {self.total / len(self.sample):.1f}")

    def note(self) -> str:
        sample = ("every root" if len(self.sample) == self.total else
                  f"the sum over {len(self.sample)} roots drawn with seed {self.seed}")
        refused = (f"; dnf could not install {len(self.refused)} of them (it says why, "
                   "as rpmgraph does)" if self.refused else "")
        return f"dnf loop: {sample}, times {self.total / len(self.sample):.2f}{refused}"


def same_set(dnf: Dnf, ours: Rpmgraph, repo: Path, root: str, scratch: Path) -> str:
    """Whether rpmgraph's install graph holds the packages dnf's transaction does."""
    folder = scratch / "debugsolver"
    folder.mkdir(exist_ok=True)
    theirs = dnf.install_set(root, folder)
    ours.run("graph", "--repo", str(repo), root, "-f", "json", "-o", str(folder / "g.json"))
    mine = {node["id"] for node in json.loads((folder / "g.json").read_text())["nodes"]}
    if mine == theirs:
        return f"rpmgraph's graph and dnf's transaction: the same {len(mine)} packages"
    return (f"rpmgraph's graph {len(mine)} packages, dnf's transaction {len(theirs)}: "
            f"{len(mine - theirs)} only in rpmgraph's, {len(theirs - mine)} only in dnf's")


def measure(repo: Path, scratch: Path, settings: Settings) -> list[Row]:
    dnf, ours = Dnf(repo, scratch), Rpmgraph(scratch)
    roots = openstack_names(repo)
    root = pick_root(dnf, roots)
    out = scratch / "out"
    out.mkdir()
    print(f"bench: {repo} ({len(roots)} openstack-* packages), root {root}", file=sys.stderr)
    rows, one = one_root(repo, out, ours, dnf, root, settings)
    rows[-1].note = same_set(dnf, ours, repo, root, scratch)
    rows += batches(repo, out, ours, dnf, roots, settings, one)
    if not settings.skip_whole:
        rows += whole(repo, out, ours, dnf, settings.big_runs)

    svg = ["graph", "--repo", str(ESSEX), "openstack-*", "-O", str(out / "svg"),
           "--format", "svg"]
    serial = median(settings.runs, lambda: ours.run(*svg, jobs=1),
                    label="essex SVGs, RPMGRAPH_JOBS=1")
    parallel = median(settings.runs, lambda: ours.run(*svg),
                      label=f"essex SVGs, {os.cpu_count()} CPUs")
    rows.append(Row("essex openstack-* SVGs, parallel", parallel.seconds, serial.seconds,
                    "the same, serial", None, policy=INSTALL))
    return rows


def one_root(repo: Path, out: Path, ours: Rpmgraph, dnf: Dnf, root: str,
             settings: Settings) -> tuple[list[Row], dict[str, Run]]:
    """Cold and warm, under both policies, each against its dnf command; the warm
    rpmgraph runs by policy (the batches' yardsticks)."""
    graph = ["graph", "--repo", str(repo), root, "-o"]
    by_policy = {ALL: [*graph, str(out / "all.dot"), "--policy", "all"],
                 INSTALL: [*graph, str(out / "install.dot")]}
    query = ("repoquery", "--requires", "--resolve", "--recursive", root)
    floor = Floor(out.parent / "floor.txt")
    rows: list[Row] = []
    cold_all, cold_query, cold_floor, cold_install, cold_dnf = side_by_side(settings.runs, [
        Case("rpmgraph one root, cold, --policy all", lambda: ours.run(*by_policy[ALL]),
             ours.reset),
        Case("dnf repoquery, cold", lambda: dnf.run(*query), dnf.reset),
        Case("floor: libsolv alone, cold", lambda: floor.run("cold", repo)),
        Case("rpmgraph one root, cold, install", lambda: ours.run(*by_policy[INSTALL]),
             ours.reset),
        Case("dnf install --assumeno, cold", lambda: dnf.install(root), dnf.reset)])
    rows.append(Row("one root, cold", cold_all.seconds, cold_query.seconds,
                    "dnf repoquery --recursive, cold", 0.15,
                    turns=turn_ratios(cold_all, cold_query), policy=ALL))
    rows.append(floor.row("cold", cold_floor, cold_all, cold_query))
    rows.append(Row("one root, cold", cold_install.seconds, cold_dnf.seconds,
                    "dnf install --assumeno, cold", 0.3,
                    turns=turn_ratios(cold_install, cold_dnf), policy=INSTALL))
    primary_solv = ours.primary_solv()
    warm_all, warm_query, warm_floor, warm_install, warm_dnf = side_by_side(
        settings.warm_runs, [
            Case("rpmgraph one root, warm, --policy all", lambda: ours.run(*by_policy[ALL])),
            Case("dnf repoquery, warm", lambda: dnf.run(*query)),
            Case("floor: imports and libsolv alone, warm",
                 lambda: floor.run("warm", primary_solv)),
            Case("rpmgraph one root, warm, install", lambda: ours.run(*by_policy[INSTALL])),
            Case("dnf install --assumeno, warm", lambda: dnf.install(root))])
    rows.append(Row("one root, warm", warm_all.seconds, warm_query.seconds,
                    "dnf repoquery --recursive, warm", 1.0,
                    turns=turn_ratios(warm_all, warm_query), policy=ALL))
    rows.append(floor.row("warm", warm_floor, warm_all, warm_query))
    rows.append(Row("one root, warm, install against all", warm_install.seconds,
                    warm_all.seconds, "rpmgraph --policy all, same root, warm", 1.2,
                    turns=turn_ratios(warm_install, warm_all), policy=BOTH))
    rows.append(Row("one root, warm", warm_install.seconds, warm_dnf.seconds,
                    "dnf install --assumeno, warm", 1.0,
                    turns=turn_ratios(warm_install, warm_dnf), policy=INSTALL))
    return rows, {ALL: warm_all, INSTALL: warm_install}


def batches(repo: Path, out: Path, ours: Rpmgraph, dnf: Dnf, roots: list[str],
            settings: Settings, one: dict[str, Run]) -> list[Row]:
    """The ``openstack-*`` batch under each policy, and the dnf loop it replaces."""
    batch = ["graph", "--repo", str(repo), "openstack-*", "-f", "dot", "-O"]
    loop = DnfLoop(dnf, roots, settings.dnf_sample, settings.seed)
    many_all, many_install, many_dnf = side_by_side(settings.big_runs, [
        Case(f"rpmgraph {len(roots)} roots -O, --policy all",
             lambda: ours.run(*batch, str(out / "batch-all"), "--policy", "all")),
        Case(f"rpmgraph {len(roots)} roots -O, install",
             lambda: ours.run(*batch, str(out / "batch-install"))),
        Case(loop.label(), loop.once)])
    what = f"batch: {len(roots)} openstack-* roots"
    return [
        Row(what, many_all.seconds, one[ALL].seconds, "rpmgraph one root, warm", 20.0,
            policy=ALL),
        Row(what, many_install.seconds, one[INSTALL].seconds, "rpmgraph one root, warm",
            20.0, policy=INSTALL),
        Row(f"{what}, install against all", many_install.seconds, many_all.seconds,
            "the same batch, --policy all", 2.0,
            turns=turn_ratios(many_install, many_all), policy=BOTH),
        Row(what, many_install.seconds, many_dnf.seconds,
            "dnf install --assumeno per root, warm" + (
                ", extrapolated" if len(loop.sample) < len(roots) else ""), None,
            turns=turn_ratios(many_install, many_dnf), note=loop.note(), policy=INSTALL)]


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
                1.0, run.max_rss_kib, graph.max_rss_kib, turns=turn_ratios(run, graph),
                policy=ALL)
            for fmt, run in zip(formats, mine, strict=True)]


# ---------------------------------------------------------------- report


def table(rows: list[Row]) -> str:
    head = ("| measurement | policy | rpmgraph | reference | reference time | ratio | target | "
            "peak RSS rpmgraph / reference |")
    lines = [head, "|---|---|---:|---|---:|---:|---:|---|"]
    for r in rows:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        target = f"<= {r.target:g}x {r.verdict}" if r.target is not None else ""
        rss = ""
        if r.ours_rss and r.theirs_rss:
            factor = r.ours_rss / r.theirs_rss
            rss = (f"{r.ours_rss / 1024:.0f} / {r.theirs_rss / 1024:.0f} MiB = {factor:.2f}x "
                   f"(<= 2x {'met' if factor <= 2 else 'NOT met'})")
        theirs = f"{r.theirs:.3f} s" if r.theirs is not None else ""
        lines.append(f"| {r.what} | {r.policy or '-'} | {r.ours:.3f} s | {r.against} | "
                     f"{theirs} | {ratio} | {target} | {rss} |")
    notes = [f"- {r.what.strip()}{f' ({r.policy})' if r.policy else ''}: "
             f"{'; '.join(filter(None, (r.turns_note(), r.note)))}"
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
    parser.add_argument("--shape", choices=(*SHAPES, "both"), default="full",
                        help="repository shape (benchmarks/generate.py); both: one after "
                        "the other, a table each")
    parser.add_argument("--runs", type=int, default=5, help="runs of the quick measurements")
    parser.add_argument("--big-runs", type=int, default=5, help="runs of batch and whole")
    parser.add_argument("--warm-runs", type=int, default=15,
                        help="runs of the warm one-root measurement (0.3 s each)")
    parser.add_argument("--dnf-sample", type=int, default=20,
                        help="roots of the warm dnf install loop timed, then extrapolated "
                        "to every openstack-* root (0: all of them)")
    parser.add_argument("--skip-whole", action="store_true")
    args = parser.parse_args(argv)
    settings = Settings(args.runs, args.big_runs, args.warm_runs, args.dnf_sample, args.seed,
                        args.skip_whole)
    ensure_dnf()
    compile_bytecode()
    tables = []
    for shape in SHAPES if args.shape == "both" else (args.shape,):
        repo = ensure_repo(args.packages, args.seed, shape)
        with tempfile.TemporaryDirectory(prefix="rpmgraph-bench-") as tmp:
            rows = measure(repo, Path(tmp), settings)
        tables.append(f"{args.packages} packages (seed {args.seed}), {shape} shape; medians "
                      f"of {args.runs} runs ({args.warm_runs} warm, {args.big_runs} for batch "
                      "and whole repository), each comparison's runs taking turns; the "
                      f"policy column: rpmgraph's --policy\n\n{table(rows)}")
    print(f"\n{machine()}\n")
    print("\n\n".join(tables))
    return 0


def ensure_repo(packages: int, seed: int, shape: str) -> Path:
    """The generated repository, made when missing (the full shape where it always was)."""
    repo = DATA / (f"distro-{packages}-s{seed}" + ("" if shape == "full" else f"-{shape}"))
    if not (repo / "repodata" / "repomd.xml").is_file():
        # In a child process: the peak RSS of every later child counts this process's
        # memory at fork time (Linux keeps it across exec), so it must stay small.
        print(f"bench: generating {repo}", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--packages",
                        str(packages), "--seed", str(seed), "--shape", shape, str(repo)],
                       check=True)
    return repo


if __name__ == "__main__":
    sys.exit(main())
