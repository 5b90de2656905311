"""The metadata cache: a warm run reads .solv files and no XML, graphs do not change,
and concurrent runs share one cache safely."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import solv

from rpmgraph.pool import (
    LoadedPool,
    LoadOptions,
    Source,
    SourceKind,
    build_pool,
    load_filelists,
    to_package,
)
from rpmgraph.resolve import find_roots
from tests.conftest import ROOT, SAMPLE_REPOS, Run
from tests.remote.conftest import RepoServer
from tests.remote.test_remote import graph

RPMGRAPH = ROOT / ".venv" / "bin" / "rpmgraph"


def _load(repo: Path, cache: Path, **options: bool) -> list[tuple[object, ...]]:
    """Every package as the graph sees it, with its file list."""
    loaded = build_pool([Source(SourceKind.REPO, repo)], "x86_64", None, None, print,
                        LoadOptions(cachedir=cache, **options))
    load_filelists(loaded)  # a warm run has the file provides without them
    assert all(r.has_filelists for r in loaded.repomd)
    rows = []
    for s in loaded.solvables():
        files = sorted(d.str for d in s.Dataiterator(solv.SOLVABLE_FILELIST, None,
                                                      solv.Dataiterator.SEARCH_FILES))
        rows.append((to_package(s), s.lookup_str(solv.SOLVABLE_DESCRIPTION), files,
                     sorted(str(d) for d in s.lookup_deparray(solv.SOLVABLE_PROVIDES)),
                     sorted(str(d) for d in s.lookup_deparray(solv.SOLVABLE_REQUIRES))))
    return rows


def _file_providers(loaded: LoadedPool) -> dict[str, list[str]]:
    pool = loaded.pool
    file_deps = pool.addfileprovides_queue()
    pool.createwhatprovides()  # the call above drops it
    return {pool.id2str(d): sorted(str(s) for s in pool.whatprovides(solv.Dep(pool, d)))
            for d in file_deps}


def test_warm_run_needs_no_file_lists(tmp_path: Path) -> None:
    """The cached primary keeps the file provides that the file lists gave (libsolv's
    REPOSITORY_ADDEDFILEPROVIDES): a warm run neither loads nor searches the file lists,
    and still finds the same providers, and roots that only the file lists name."""
    def load() -> LoadedPool:
        return build_pool([Source(SourceKind.REPO, SAMPLE_REPOS / "essex")], "x86_64", None,
                          None, print, LoadOptions(cachedir=tmp_path))

    cold = load()
    assert all(r.has_filelists for r in cold.repomd)
    warm = load()
    assert not any(r.has_filelists for r in warm.repomd)
    assert _file_providers(warm) == _file_providers(cold)
    assert any(providers for providers in _file_providers(cold).values())
    package = max(cold.solvables(), key=lambda s: len(s.lookup_idarray(solv.SOLVABLE_FILELIST)))
    path = next(d.str for d in package.Dataiterator(solv.SOLVABLE_FILELIST, None,
                                                     solv.Dataiterator.SEARCH_FILES)
                if d.str.startswith("/usr/lib"))
    assert [str(s) for s in find_roots(warm, [path])] == [str(s) for s in
                                                           find_roots(cold, [path])]
    assert any(r.has_filelists for r in warm.repomd)


def _damage_xml(repo: Path) -> None:
    """Make the XML unreadable, keeping repomd.xml (so the cache key) unchanged."""
    for path in (repo / "repodata").glob("*.xml.gz"):
        path.write_bytes(b"not gzip at all")


def test_solv_round_trip_keeps_every_field(tmp_path: Path) -> None:
    cold = _load(SAMPLE_REPOS / "essex", tmp_path / "c")
    solv_files = sorted(p.name for p in (tmp_path / "c").rglob("*.solv"))
    assert solv_files == ["filelists.solv", "primary.solv"]
    warm = _load(SAMPLE_REPOS / "essex", tmp_path / "c")
    assert warm == cold
    assert any(row[0].summary and row[0].installsize and row[0].sourcerpm and row[2]
               for row in warm)


def test_warm_run_parses_no_xml(run: Run, tmp_path: Path) -> None:
    repo = tmp_path / "essex"
    shutil.copytree(SAMPLE_REPOS / "essex", repo)
    cache = tmp_path / "c"
    cold = graph(run, "--repo", repo, "--cachedir", cache)
    _damage_xml(repo)
    warm = graph(run, "--repo", repo, "--cachedir", cache)
    assert warm == cold, "the warm run read the .solv files, not the (now broken) XML"
    refresh = run("graph", "--repo", repo, "--cachedir", cache, "--refresh", "openstack-nova")
    assert refresh.exit_code == 2 and "size mismatch" in refresh.stderr


def test_same_graph_cold_and_warm_for_every_package(run: Run, tmp_path: Path) -> None:
    args = ("--repo", SAMPLE_REPOS / "essex", "--cachedir", tmp_path / "c", "--policy", "all")
    cold = run("graph", *args, "*", "-f", "json")
    warm = run("graph", *args, "*", "-f", "json")
    assert cold.exit_code == 0 and warm.exit_code == 0
    assert warm.stdout == cold.stdout
    nodes = json.loads(warm.stdout)["nodes"]
    assert all(n["repo"] == "essex" and n["summary"] for n in nodes)


def test_new_metadata_replaces_the_old_cache(run: Run, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPOS / "essex", repo)
    cache = tmp_path / "c"
    graph(run, "--repo", repo, "--cachedir", cache)
    shutil.rmtree(repo)
    shutil.copytree(SAMPLE_REPOS / "folsom", repo)
    doc = graph(run, "--repo", repo, "--cachedir", cache)
    assert any(".fc18." in n["id"] for n in doc["nodes"])  # type: ignore[attr-defined]
    folder = next(p for p in (cache / "repos").glob("repo-*") if p.is_dir())
    versions = [p for p in folder.iterdir() if p.is_dir()]
    assert len(versions) == 1, "the folder of the old repomd.xml is pruned"


def test_default_cache_is_under_xdg_cache_home(run: Run, tmp_path: Path,
                                               monkeypatch: object) -> None:
    graph(run, "--repo", SAMPLE_REPOS / "essex")
    cache_home = Path(os.environ["XDG_CACHE_HOME"])
    assert list((cache_home / "rpmgraph" / "repos").glob("essex-*/*/primary.solv"))


def test_cache_list_and_clean(run: Run, repo_server: RepoServer, tmp_path: Path) -> None:
    cache = tmp_path / "c"
    graph(run, "--repo", SAMPLE_REPOS / "essex", "--cachedir", cache)
    graph(run, "--repo", f"remote={repo_server.url('essex')}", "--cachedir", cache)
    listed = run("cache", "list", "--cachedir", cache)
    assert listed.exit_code == 0
    lines = sorted(line.split("\t") for line in listed.stdout.splitlines())
    assert [(row[0], row[3]) for row in lines] == [
        ("essex", str((SAMPLE_REPOS / "essex").resolve())), ("remote", repo_server.url("essex"))]
    cleaned = run("cache", "clean", "--cachedir", cache, "rem*")
    assert cleaned.exit_code == 0 and "removed the cache of 1 repositories" in cleaned.stderr
    assert [line.split("\t")[0] for line in run("cache", "list", "--cachedir", cache)
            .stdout.splitlines()] == ["essex"]
    assert run("cache", "clean", "--cachedir", cache).exit_code == 0
    assert run("cache", "list", "--cachedir", cache).stdout == ""


def test_two_processes_share_one_cache(repo_server: RepoServer, tmp_path: Path) -> None:
    """Two real rpmgraph processes fill one cache at once; both succeed, then -C works."""
    cache = tmp_path / "c"
    env = {**os.environ, "RPMGRAPH_TIMEOUT": "30"}
    args = [str(RPMGRAPH), "graph", "--repo", repo_server.url("essex"), "--cachedir",
            str(cache), "openstack-nova", "-f", "json"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
    assert outputs[0][0] == outputs[1][0]
    assert not list(cache.rglob("*.tmp")), "no temporary file left behind"
    repo_server.stop()
    offline = subprocess.run([*args, "-C"], capture_output=True, env=env, check=False,
                             timeout=120)
    assert offline.returncode == 0, offline.stderr.decode()
    assert offline.stdout == outputs[0][0]


def _hold_lock(lockfile: Path) -> subprocess.Popen[bytes]:
    """Another process holding a repository's lock until it is killed."""
    holder = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), "-c",
         "import filelock, sys, time\n"
         f"lock = filelock.FileLock({str(lockfile)!r})\n"
         "lock.acquire()\n"  # (kept: a FileLock releases itself when collected)
         "print('locked', flush=True)\ntime.sleep(60)\n"],
        stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
    return holder


def test_a_killed_writer_leaves_nothing_trusted(tmp_path: Path) -> None:
    """A process killed while it holds the lock: the next run takes the lock and
    rebuilds whatever was not renamed into place."""
    from rpmgraph.sources.cache import Cache, repomd_key

    cache = tmp_path / "c"
    cached = Cache(cache).repo("essex", (SAMPLE_REPOS / "essex").resolve().as_uri())
    cached.folder.mkdir(parents=True)
    holder = _hold_lock(cached.lockfile)
    key = repomd_key((SAMPLE_REPOS / "essex/repodata/repomd.xml").read_bytes())
    cached.metadata(key).mkdir()
    (cached.metadata(key) / ".primary.solv.abc.tmp").write_bytes(b"half a file")
    holder.kill()
    holder.wait()
    start = time.monotonic()
    rows = _load(SAMPLE_REPOS / "essex", cache)
    assert rows == _load(SAMPLE_REPOS / "essex", tmp_path / "fresh")
    assert time.monotonic() - start < 30
    assert not list(cache.rglob("*.tmp")), "stale temporary files are swept under the lock"


def test_a_warm_run_reads_without_waiting_for_the_lock(tmp_path: Path) -> None:
    """Another rpmgraph filling the cache holds the lock: a warm run reads the .solv
    files already in place (renamed whole) instead of waiting for it."""
    from rpmgraph.sources.cache import Cache

    cache = tmp_path / "c"
    args = [str(RPMGRAPH), "graph", "--repo", str(SAMPLE_REPOS / "essex"), "--cachedir",
            str(cache), "openstack-nova", "-f", "json"]
    cold = subprocess.run(args, capture_output=True, timeout=120, check=True)
    cached = Cache(cache).repo("essex", (SAMPLE_REPOS / "essex").resolve().as_uri())
    holder = _hold_lock(cached.lockfile)
    try:
        warm = subprocess.run(args, capture_output=True, timeout=30, check=True)
    finally:
        holder.kill()
        holder.wait()
    assert warm.stdout == cold.stdout


def test_a_warm_run_settles_the_folder_under_the_lock(run: Run, tmp_path: Path) -> None:
    """What a killed process left (an older version's folder, a temporary file) goes
    on the next run, even a warm one; the current version stays."""
    from rpmgraph.sources.cache import Cache, repomd_key

    cache = tmp_path / "c"
    graph(run, "--repo", SAMPLE_REPOS / "essex", "--cachedir", cache)
    cached = Cache(cache).repo("essex", (SAMPLE_REPOS / "essex").resolve().as_uri())
    key = repomd_key((SAMPLE_REPOS / "essex/repodata/repomd.xml").read_bytes())
    old = cached.metadata("0" * 64)
    old.mkdir()
    (old / "primary.solv").write_bytes(b"an older version")
    (cached.metadata(key) / ".primary.solv.abc.tmp").write_bytes(b"half a file")
    graph(run, "--repo", SAMPLE_REPOS / "essex", "--cachedir", cache)
    assert not old.exists()
    assert not list(cache.rglob("*.tmp"))
    assert (cached.metadata(key) / "primary.solv").is_file()
