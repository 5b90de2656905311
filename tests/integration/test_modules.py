"""Module streams on a real modular repository (rpmbuild, createrepo_c, modifyrepo_c),
filtered as dnf filters them, and compared with the real dnf.

The repository, ``modular``:

- module ``nodejs``: streams ``18`` (the default; two versions, one of them with an
  artifact whose release has no ``.module_`` tag) and ``20``; profiles ``default``
  (nodejs, npm, the default profile) and ``minimal`` (nodejs);
- module ``webapp``, stream ``1.0``, no default stream, two contexts: ``aaaa``
  requires ``nodejs:[18]``, ``bbbb`` requires ``nodejs:[20]``; both require any
  stream of ``nodelib`` (one stream, ``2``, no default) and ``platform:[el9]``, which
  ``system-release`` provides (``base-module(platform:el9)``);
- module ``app2``, stream ``1``, no default, requires ``nodejs:[20]``: enabling it
  overrides nodejs's default stream;
- outside modules: ``nodejs`` 16 (hidden while a nodejs stream is active), ``webapp``
  0.9 and ``nodelib`` 1.0 (visible while no stream of theirs is), ``node-compat``
  (provides ``npm``: hidden), ``tool`` (requires nodejs; never hidden), ``lonely``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rpmgraph.errors import RootError, SourceError
from rpmgraph.pool import Source, SourceKind, build_pool
from rpmgraph.resolve import find_roots
from rpmgraph.sources import modules as modules_source
from rpmgraph.sources.modules import (
    ModuleChoices,
    module_root_names,
    parse_module_spec,
    parse_modules_yaml,
)
from rpmgraph.sources.repofiles import RepoSpec
from tests.conftest import Run
from tests.support.dnf import (
    DnfError,
    dnf_available,
    dnf_available_set,
    dnf_install_set,
    dnf_modules_dir,
    dnf_repoquery_recursive,
)
from tests.support.rpmbuild import Spec, build_rpms, install_into_rpmdb, make_repo

ARCH = "x86_64"


def _mod(name: str, version: str, release: str, **kw: object) -> Spec:
    return Spec(name=name, version=version, release=release, arch=ARCH, **kw)  # type: ignore[arg-type]


SPECS = [
    Spec(name="system-release", version="9", release="1.el9",
         provides=["base-module(platform:el9)"]),
    # nodejs:18, version 1 and version 2 (whose nodejs-libs lacks the .module_ tag)
    _mod("nodejs", "18.0", "1.module_el9+1", requires=["npm"]),
    _mod("npm", "9.0", "1.module_el9+1"),
    _mod("nodejs", "18.1", "1.module_el9+2", requires=["npm", "nodejs-libs"]),
    _mod("npm", "9.1", "1.module_el9+2"),
    _mod("nodejs-libs", "18.1", "1.el9"),
    # nodejs:20
    _mod("nodejs", "20.1", "1.module_el9+3", requires=["npm", "nodejs-libs"]),
    _mod("npm", "10.0", "1.module_el9+3"),
    _mod("nodejs-libs", "20.1", "1.module_el9+3"),
    # webapp:1.0, two contexts
    _mod("webapp", "1.0", "1.module_el9+aaaa", requires=["nodejs", "nodelib"]),
    _mod("webapp", "1.0", "2.module_el9+bbbb", requires=["nodejs", "nodelib"]),
    _mod("nodelib", "2.0", "1.module_el9+5"),
    _mod("app2", "1.0", "1.module_el9+6", requires=["nodejs"]),
    # outside modules
    _mod("nodejs", "16.0", "1.el9", requires=["lonely"]),
    _mod("webapp", "0.9", "1.el9", requires=["lonely"]),
    _mod("nodelib", "1.0", "1.el9"),
    _mod("node-compat", "1.0", "1.el9", provides=["npm"]),
    _mod("tool", "1.0", "1.el9", requires=["nodejs"]),
    _mod("lonely", "1.0", "1.el9"),
]


def _modulemd(name: str, stream: str, version: int, context: str, artifacts: list[str],
              requires: dict[str, list[str]], profiles: dict[str, list[str]]) -> str:
    rpms = "".join(f"      - {a}\n" for a in artifacts)
    reqs = "".join(f"        {m}: [{', '.join(s)}]\n" for m, s in requires.items())
    profs = "".join(f"    {p}:\n      rpms: [{', '.join(r)}]\n" for p, r in profiles.items())
    return (f"---\ndocument: modulemd\nversion: 2\ndata:\n  name: {name}\n"
            f"  stream: \"{stream}\"\n  version: {version}\n  context: {context}\n"
            f"  arch: {ARCH}\n  summary: {name} {stream}\n  description: test\n"
            f"  license:\n    module: [MIT]\n  dependencies:\n  - buildrequires:\n"
            f"        platform: [el9]\n    requires:\n{reqs}"
            f"  profiles:\n{profs}  artifacts:\n    rpms:\n{rpms}...\n")


NODE_PROFILES = {"default": ["nodejs", "npm"], "minimal": ["nodejs"]}
MODULES_YAML = "".join([
    _modulemd("nodejs", "18", 1, "c1", ["nodejs-0:18.0-1.module_el9+1.x86_64",
                                         "npm-0:9.0-1.module_el9+1.x86_64"],
              {"platform": ["el9"]}, NODE_PROFILES),
    _modulemd("nodejs", "18", 2, "c1", ["nodejs-0:18.1-1.module_el9+2.x86_64",
                                         "npm-0:9.1-1.module_el9+2.x86_64",
                                         "nodejs-libs-0:18.1-1.el9.x86_64"],
              {"platform": ["el9"]}, NODE_PROFILES),
    _modulemd("nodejs", "20", 3, "c1", ["nodejs-0:20.1-1.module_el9+3.x86_64",
                                         "npm-0:10.0-1.module_el9+3.x86_64",
                                         "nodejs-libs-0:20.1-1.module_el9+3.x86_64"],
              {"platform": ["el9"]}, NODE_PROFILES),
    _modulemd("webapp", "1.0", 1, "aaaa", ["webapp-0:1.0-1.module_el9+aaaa.x86_64"],
              {"platform": ["el9"], "nodejs": ["18"], "nodelib": []}, {"common": ["webapp"]}),
    _modulemd("webapp", "1.0", 1, "bbbb", ["webapp-0:1.0-2.module_el9+bbbb.x86_64"],
              {"platform": ["el9"], "nodejs": ["20"], "nodelib": []}, {"common": ["webapp"]}),
    _modulemd("nodelib", "2", 1, "c5", ["nodelib-0:2.0-1.module_el9+5.x86_64"],
              {"platform": ["el9"]}, {"common": ["nodelib"]}),
    _modulemd("app2", "1", 1, "c6", ["app2-0:1.0-1.module_el9+6.x86_64"],
              {"platform": ["el9"], "nodejs": ["20"]}, {"common": ["app2"]}),
    "---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: nodejs\n"
    "  stream: \"18\"\n  profiles:\n    \"18\": [default]\n    \"20\": [default]\n...\n",
])


@pytest.fixture(scope="module")
def modular_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("modules") / "modular"
    build_rpms(SPECS, repo)
    make_repo(repo)
    yaml_path = repo.parent / "modules.yaml"
    yaml_path.write_text(MODULES_YAML, encoding="utf-8")
    subprocess.run(["modifyrepo_c", "--mdtype=modules", str(yaml_path),
                    str(repo / "repodata")], check=True, capture_output=True)
    return repo


def _visible(repo: Path | list[Path], *modules: str) -> set[str]:
    repos = repo if isinstance(repo, list) else [repo]
    loaded = build_pool([Source(SourceKind.REPO, r) for r in repos], ARCH, None, None, print,
                        modules=ModuleChoices(enabled=modules))
    return {str(s) for s in loaded.solvables()}


def _ids(run: Run, *args: object) -> set[str]:
    result = run("graph", *args, "--arch", ARCH, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return {n["id"] for n in json.loads(result.stdout)["nodes"]}


# ---------------------------------------------------------------- without dnf


def test_default_stream_hides_the_others_and_same_named_packages(modular_repo: Path) -> None:
    visible = _visible(modular_repo)
    assert "nodejs-18.1-1.module_el9+2.x86_64" in visible
    assert "nodejs-18.0-1.module_el9+1.x86_64" in visible  # every version of the context
    assert "nodejs-libs-18.1-1.el9.x86_64" in visible  # an artifact without .module_
    assert "nodejs-20.1-1.module_el9+3.x86_64" not in visible
    assert "nodejs-16.0-1.el9.x86_64" not in visible  # same name as an active artifact
    assert "node-compat-1.0-1.el9.x86_64" not in visible  # provides npm
    assert "webapp-0.9-1.el9.x86_64" in visible  # webapp has no active stream
    assert not any(v.startswith("webapp-1.0") for v in visible)
    assert {"tool-1.0-1.el9.x86_64", "lonely-1.0-1.el9.x86_64"} <= visible


def test_enabled_stream_and_its_required_stream(modular_repo: Path) -> None:
    visible = _visible(modular_repo, "webapp:1.0")
    # the context whose requirement the default nodejs:18 meets
    assert "webapp-1.0-1.module_el9+aaaa.x86_64" in visible
    assert "webapp-1.0-2.module_el9+bbbb.x86_64" not in visible
    assert "webapp-0.9-1.el9.x86_64" not in visible
    assert "nodelib-1.0-1.el9.x86_64" not in visible
    assert "nodelib-2.0-1.module_el9+5.x86_64" in visible
    visible = _visible(modular_repo, "webapp:1.0", "nodejs:20")
    assert "webapp-1.0-2.module_el9+bbbb.x86_64" in visible
    assert "nodejs-20.1-1.module_el9+3.x86_64" in visible
    assert "nodejs-18.1-1.module_el9+2.x86_64" not in visible


def test_module_state_reasons(modular_repo: Path) -> None:
    loaded = build_pool([Source(SourceKind.REPO, modular_repo)], ARCH, None, None, print,
                        modules=ModuleChoices(enabled=("webapp:1.0",)))
    assert loaded.modules is not None
    assert loaded.modules.platform == "platform:el9"
    rows = {f"{s.name}:{s.stream}": s for s in loaded.modules.statuses()}
    assert (rows["nodejs:18"].active, rows["nodejs:18"].reason) == (True, "default")
    assert rows["nodejs:18"].context == "c1" and rows["nodejs:18"].version == 2
    assert (rows["nodejs:20"].active, rows["nodejs:20"].reason) == (False, "not default")
    assert (rows["webapp:1.0"].reason, rows["webapp:1.0"].context) == ("enabled", "aaaa")
    assert (rows["nodelib:2"].active, rows["nodelib:2"].reason) == (True,
                                                                    "required by webapp:1.0")
    # nodejs 16, node-compat; and 20's three artifacts
    assert (rows["nodejs:18"].hides, rows["nodejs:20"].hides) == (2, 3)


def test_enabled_stream_overrides_a_default_it_conflicts_with(modular_repo: Path) -> None:
    loaded = build_pool([Source(SourceKind.REPO, modular_repo)], ARCH, None, None, print,
                        modules=ModuleChoices(enabled=("app2:1", "webapp:1.0")))
    assert loaded.modules is not None
    rows = {f"{s.name}:{s.stream}": s for s in loaded.modules.statuses()}
    assert (rows["nodejs:20"].active, rows["nodejs:20"].reason) == (
        True, "required by app2:1, webapp:1.0")
    assert (rows["nodejs:18"].active, rows["nodejs:18"].reason) == (
        False, "stream 20 required by app2:1, webapp:1.0")
    assert rows["webapp:1.0"].context == "bbbb"  # the context nodejs:20 satisfies


def test_profile_roots(modular_repo: Path) -> None:
    loaded = build_pool([Source(SourceKind.REPO, modular_repo)], ARCH, None, None, print)
    assert module_root_names(loaded.modules, "@nodejs:18") == ["nodejs", "npm"]
    assert module_root_names(loaded.modules, "@nodejs:18/minimal") == ["nodejs"]
    assert module_root_names(loaded.modules, "nodejs") is None
    assert module_root_names(loaded.modules, "@group") is None
    with pytest.raises(RootError, match=r"no profile 'huge' .profiles: default, minimal"):
        module_root_names(loaded.modules, "@nodejs:18/huge")
    with pytest.raises(RootError, match="not active"):
        module_root_names(loaded.modules, "@nodejs:20")
    with pytest.raises(RootError, match=r"no module stream nodejs:99 .*nodejs has 18, 20"):
        module_root_names(loaded.modules, "@nodejs:99")
    roots = find_roots(loaded, ["@nodejs:18"])
    assert sorted(str(r) for r in roots) == ["nodejs-18.1-1.module_el9+2.x86_64",
                                             "npm-9.1-1.module_el9+2.x86_64"]


def test_unknown_enabled_stream(modular_repo: Path) -> None:
    with pytest.raises(SourceError, match=r"no module stream nodejs:7 .*has 18, 20"):
        _visible(modular_repo, "nodejs:7")


def test_sources_without_modules_unaffected(tmp_path: Path) -> None:
    """A repository without a modules record hides nothing, and --module is an error."""
    build_rpms([Spec(name="plain")], tmp_path / "plain")
    make_repo(tmp_path / "plain")
    assert _visible(tmp_path / "plain") == {"plain-1.0-1.noarch"}
    with pytest.raises(SourceError, match="no module metadata"):
        _visible(tmp_path / "plain", "nodejs:18")


# ---------------------------------------------------------------- parsing


def test_streams_stay_strings() -> None:
    data = (b"---\ndocument: modulemd\nversion: 2\ndata:\n  name: python\n  stream: 3.10\n"
            b"  version: 20230101\n  context: 0123\n  arch: x86_64\n"
            b"  dependencies:\n  - requires:\n      platform: [el9]\n      python: [3.10, 1e3]\n"
            b"...\n---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: python\n"
            b"  stream: 3.10\n  profiles:\n    3.10: [common]\n...\n")
    found = parse_modules_yaml(data, "test")
    (stream,) = found.streams
    assert (stream.stream, stream.context, stream.version) == ("3.10", "0123", 20230101)
    assert stream.requires == (("platform", ("el9",)), ("python", ("3.10", "1e3")))
    assert found.defaults[0].stream == "3.10"
    assert found.defaults[0].profiles == (("3.10", ("common",)),)


@pytest.mark.parametrize(("data", "message"), [
    (b"document: modulemd\nversion: 2\ndata: [1]\n", "document 1: data is not a mapping"),
    (b"document: modulemd\nversion: 2\ndata:\n  stream: a\n", "data.name is missing"),
    (b"document: modulemd\nversion: 1\ndata: {}\n", "modulemd version '1' is not supported"),
    (b"document: modulemd\nversion: 2\ndata: {name: a, stream: b, version: x}\n",
     "data.version 'x' is not a number"),
    (b"document: modulemd\nversion: 2\ndata: {name: a, stream: b, artifacts: {rpms: a}}\n",
     "data.artifacts.rpms is not a list of strings"),
    (b"document: modulemd\nversion: 2\ndata: {name: a, stream: b, version: \"\xc2\xb2\"}\n",
     "data.version '\u00b2' is not a number"),
    (b"document: modulemd\nversion: 2\ndata: {name: " + b"n" * 1000 + b", stream: b, version: x}\n",
     r"document 1 \(n{60}\.\.\.\): data.version 'x' is not a number"),
    (b"[a, b\n", "not valid YAML at line 2"),
    (b"- 1\n", "document 1: the document is not a mapping"),
    (b"\xff\xfe\x00", "not valid YAML"),
    (b"[" * 5000, "not valid YAML"),
])
def test_malformed_modules_yaml(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message) as info:
        parse_modules_yaml(data, "repo/modules.yaml")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("repo/modules.yaml: ")


def test_module_specs() -> None:
    assert parse_module_spec("@nodejs:18/minimal") == ("nodejs", "18", "minimal")
    assert parse_module_spec("nodejs:18") == ("nodejs", "18", None)
    for bad in ("nodejs", "nodejs:", ":18", "a:b:c", "a:b/"):
        with pytest.raises(ValueError, match="not NAME:STREAM"):
            parse_module_spec(bad)


# ---------------------------------------------------------------- CLI


def test_modules_command(run: Run, modular_repo: Path) -> None:
    result = run("modules", "--repo", modular_repo, "--arch", ARCH)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["STREAM", "ACTIVE", "WHY", "CONTEXT", "HIDES"]
    assert lines[1].split() == ["app2:1", "no", "no", "default", "stream", "-", "1"]
    assert lines[2].split() == ["nodejs:18", "yes", "default", "c1:2", "2"]
    assert lines[3].split() == ["nodejs:20", "no", "not", "default", "-", "3"]
    assert lines[4].split() == ["nodelib:2", "no", "no", "default", "stream", "-", "1"]
    assert lines[5].split() == ["webapp:1.0", "no", "no", "default", "stream", "-", "2"]
    assert lines[-1] == "platform: platform:el9; 9 packages hidden"


def test_modules_command_json(run: Run, modular_repo: Path) -> None:
    result = run("modules", "--repo", modular_repo, "--arch", ARCH, "--module", "webapp:1.0",
                 "--module", "nodejs:20", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {f"{s['name']}:{s['stream']}": s for s in data["streams"]}
    assert rows["webapp:1.0"]["context"] == "bbbb"
    assert rows["nodejs:20"]["reason"] == "enabled"
    assert rows["nodejs:18"]["reason"] == "stream 20 enabled"
    assert rows["nodejs:20"]["default_profiles"] == ["default"]


def test_cli_errors(run: Run, modular_repo: Path) -> None:
    result = run("tree", "--repo", modular_repo, "--arch", ARCH, "--module", "nodejs", "tool")
    assert result.exit_code == 2
    assert result.stderr == ("rpmgraph: error: --module: 'nodejs' is not NAME:STREAM or "
                             "NAME:STREAM/PROFILE\n")
    result = run("tree", "--repo", modular_repo, "--arch", ARCH, "@nodejs:18/huge")
    assert result.exit_code == 2
    assert result.stderr.startswith("rpmgraph: error: module stream nodejs:18 has no profile")
    result = run("tree", "--repo", modular_repo, "--arch", ARCH, "--module", "nodejs:18",
                 "@nodejs:20")
    assert result.exit_code == 2
    assert result.stderr == ("rpmgraph: error: root @nodejs:20: module nodejs has stream 18 "
                             "enabled already (one stream of a module at a time)\n")


def test_module_root_without_module_metadata(run: Run, mini_repo: Path) -> None:
    result = run("tree", "--repo", mini_repo, "@core:1")
    assert result.exit_code == 2
    assert result.stderr == ("rpmgraph: error: root @core:1: the sources have no module "
                             "metadata (no repository has a modules record)\n")


def test_root_enables_its_stream(run: Run, modular_repo: Path) -> None:
    ids = _ids(run, "--repo", modular_repo, "@nodejs:20/minimal")
    assert "nodejs-20.1-1.module_el9+3.x86_64" in ids


# ---------------------------------------------------------------- against dnf

needs_dnf = pytest.mark.skipif(not dnf_available() or shutil.which("modifyrepo_c") is None,
                               reason="needs dnf (as root) and modifyrepo_c")

_CASES = [
    ((), "tool"), ((), "nodejs"), ((), "webapp"), ((), "@nodejs:18"),
    ((), "@nodejs:20"), ((), "@nodejs:20/minimal"), ((), "@webapp:1.0/common"),
    (("nodejs:20",), "tool"), (("webapp:1.0",), "webapp"),
    (("webapp:1.0", "nodejs:20"), "webapp"), (("nodejs:20",), "npm"),
    (("app2:1",), "app2"), (("app2:1", "webapp:1.0"), "webapp"), ((), "@app2:1/common"),
]


def _module_args(modules: tuple[str, ...]) -> list[str]:
    return [a for m in modules for a in ("--module", m)]


@pytest.mark.dnf
@needs_dnf
@pytest.mark.parametrize("modules", [(), ("nodejs:20",), ("webapp:1.0",),
                                     ("webapp:1.0", "nodejs:20"), ("app2:1",),
                                     ("app2:1", "webapp:1.0")])
def test_visible_packages_match_dnf(modular_repo: Path, modules: tuple[str, ...]) -> None:
    assert _visible(modular_repo, *modules) == dnf_available_set([modular_repo], ARCH, modules)


@pytest.mark.dnf
@needs_dnf
@pytest.mark.parametrize(("modules", "root"), _CASES)
def test_install_policy_matches_dnf(run: Run, modular_repo: Path, modules: tuple[str, ...],
                                    root: str) -> None:
    ours = _ids(run, "--repo", modular_repo, *_module_args(modules), root)
    assert ours == dnf_install_set([modular_repo], [root], arch=ARCH, modules=modules)


@pytest.mark.dnf
@needs_dnf
@pytest.mark.parametrize(("modules", "root"), [c for c in _CASES if not c[1].startswith("@")])
def test_all_policy_matches_repoquery(run: Run, modular_repo: Path, modules: tuple[str, ...],
                                      root: str) -> None:
    ours = _ids(run, "--repo", modular_repo, *_module_args(modules), "--policy", "all", root)
    theirs = dnf_repoquery_recursive([modular_repo], root, arch=ARCH, modules=modules)
    root_ids = {i for i in ours if i.startswith(f"{root}-") and i not in theirs}
    assert ours == theirs | root_ids


@pytest.mark.dnf
@needs_dnf
def test_no_default_profile_fails_as_with_dnf(run: Run, modular_repo: Path) -> None:
    result = run("graph", "--repo", modular_repo, "--arch", ARCH, "@webapp:1.0")
    assert result.exit_code == 2
    assert "webapp:1.0 has no default profile" in result.stderr
    with pytest.raises(DnfError, match=r"No default profiles for module webapp:1\.0"):
        dnf_install_set([modular_repo], ["@webapp:1.0"], arch=ARCH)


def test_cached_sets_follow_the_module_choices(run: Run, modular_repo: Path) -> None:
    """The pool's cached id sets (usable, newest) are kept per module choice: a run with
    --module after one without (and back) sees its own streams."""
    default = {"tool-1.0-1.el9.x86_64", "nodejs-18.1-1.module_el9+2.x86_64",
               "npm-9.1-1.module_el9+2.x86_64", "nodejs-libs-18.1-1.el9.x86_64"}
    enabled = {"tool-1.0-1.el9.x86_64", "nodejs-20.1-1.module_el9+3.x86_64",
               "npm-10.0-1.module_el9+3.x86_64", "nodejs-libs-20.1-1.module_el9+3.x86_64"}
    for _ in range(2):
        assert _ids(run, "--repo", modular_repo, "tool") == default
        assert _ids(run, "--repo", modular_repo, "--module", "nodejs:20", "tool") == enabled
    every = _ids(run, "--repo", modular_repo, "--policy", "all", "*")
    assert "nodejs-16.0-1.el9.x86_64" not in every
    assert "nodejs-18.1-1.module_el9+2.x86_64" in every


def test_module_hotfixes_repository_is_not_filtered(run: Run, modular_repo: Path,
                                                    tmp_path: Path) -> None:
    """A repository with module_hotfixes=1 keeps all its packages; its modules still
    count (here: the same repository a second time, under another name)."""
    repofile = tmp_path / "hot.repo"
    repofile.write_text(f"[hot]\nbaseurl=file://{modular_repo}\nmodule_hotfixes=1\n",
                        encoding="utf-8")
    ids = _ids(run, "--repofile", repofile, "--policy", "all", "nodejs-16.0-1.el9.x86_64")
    assert ids == {"nodejs-16.0-1.el9.x86_64", "lonely-1.0-1.el9.x86_64"}
    spec = RepoSpec(name="hot", path=modular_repo, module_hotfixes=True)
    loaded = build_pool([Source(SourceKind.REPO, spec=spec),
                         Source(SourceKind.REPO, spec=RepoSpec(name="plain", path=modular_repo))],
                        ARCH, None, None, print)
    by_repo: dict[str, set[str]] = {}
    for s in loaded.solvables():
        by_repo.setdefault(s.repo.name, set()).add(str(s))
    assert len(by_repo["hot"]) == len(SPECS)
    assert by_repo["plain"] == _visible(modular_repo)
    assert loaded.modules is not None and loaded.modules.hides[("nodejs", "18")]


@pytest.fixture(scope="module")
def system_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root whose rpm database holds one unrelated package."""
    folder = tmp_path_factory.mktemp("system")
    (rpm,) = build_rpms([Spec(name="installed-thing")], folder / "rpms")
    install_into_rpmdb(folder / "root", [rpm])
    return folder / "root"


def _visible_with_root(repo: Path, root: Path) -> set[str]:
    loaded = build_pool([Source(SourceKind.REPO, repo), Source(SourceKind.INSTALLED)], ARCH,
                        root, Path("/var/lib/rpm"), print)
    return {str(s) for s in loaded.solvables() if s.repo.name != "@System"}


def test_system_module_state_counts_with_installed(modular_repo: Path, system_root: Path,
                                                   tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(system_root, root)
    folder = root / "etc" / "dnf" / "modules.d"
    folder.mkdir(parents=True)
    (folder / "nodejs.module").write_text(
        "[nodejs]\nname=nodejs\nstream=20\nprofiles=\nstate=enabled\n", encoding="utf-8")
    assert _visible_with_root(modular_repo, root) == _visible(modular_repo, "nodejs:20")
    (folder / "nodejs.module").write_text(
        "[nodejs]\nname=nodejs\nstream=\nprofiles=\nstate=disabled\n", encoding="utf-8")
    visible = _visible_with_root(modular_repo, root)
    assert "nodejs-16.0-1.el9.x86_64" in visible  # no nodejs stream: the plain build shows
    assert not any(".module_" in v and v.startswith("nodejs") for v in visible)
    # the repository alone: the system's state does not count
    assert "nodejs-16.0-1.el9.x86_64" not in _visible(modular_repo)


@pytest.mark.dnf
@needs_dnf
def test_module_state_written_by_dnf(modular_repo: Path, system_root: Path,
                                     tmp_path: Path) -> None:
    """The modules.d files 'dnf module enable webapp:1.0 nodejs:20' writes are read as
    dnf reads them."""
    modules = ("webapp:1.0", "nodejs:20")
    root = tmp_path / "root"
    shutil.copytree(system_root, root)
    shutil.copytree(dnf_modules_dir([modular_repo], modules, ARCH),
                    root / "etc" / "dnf" / "modules.d")
    assert _visible_with_root(modular_repo, root) == dnf_available_set([modular_repo], ARCH,
                                                                       modules)


@pytest.fixture(scope="module")
def other_defaults_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository without packages whose modules.yaml makes nodejs:20 the default."""
    repo = tmp_path_factory.mktemp("defaults") / "other"
    repo.mkdir()
    make_repo(repo)
    yaml_path = repo.parent / "modules.yaml"
    yaml_path.write_text("---\ndocument: modulemd-defaults\nversion: 1\ndata:\n"
                         "  module: nodejs\n  stream: \"20\"\n...\n", encoding="utf-8")
    subprocess.run(["modifyrepo_c", "--mdtype=modules", str(yaml_path),
                    str(repo / "repodata")], check=True, capture_output=True)
    return repo


def test_disagreeing_defaults_leave_no_default(modular_repo: Path,
                                               other_defaults_repo: Path) -> None:
    visible = _visible([modular_repo, other_defaults_repo])
    assert "nodejs-16.0-1.el9.x86_64" in visible
    assert not any(v.startswith(("nodejs-18", "nodejs-20")) for v in visible)


@pytest.mark.dnf
@needs_dnf
def test_disagreeing_defaults_as_with_dnf(modular_repo: Path, other_defaults_repo: Path) -> None:
    repos = [modular_repo, other_defaults_repo]
    assert _visible(repos) == dnf_available_set(repos, ARCH)


def test_stats_and_why_enable_their_roots_streams(run: Run, modular_repo: Path) -> None:
    result = run("stats", "--repo", modular_repo, "--arch", ARCH, "@nodejs:20/minimal",
                 "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert "nodejs-20.1-1.module_el9+3.x86_64" in result.stdout
    result = run("why", "--repo", modular_repo, "--arch", ARCH, "tool", "npm")
    assert result.exit_code == 0, result.stderr
    assert "npm-9.1-1.module_el9+2.x86_64" in result.stdout


def test_hidden_root_says_why(run: Run, modular_repo: Path) -> None:
    result = run("tree", "--repo", modular_repo, "--arch", ARCH, "nodejs-16.0-1.el9.x86_64")
    assert result.exit_code == 2
    assert result.stderr == (
        "rpmgraph: error: no package or capability matches 'nodejs-16.0-1.el9.x86_64' in the "
        "sources; nodejs-16.0-1.el9.x86_64 is hidden by module filtering: module stream "
        "nodejs:18 is active (default) and replaces it\n")
    result = run("tree", "--repo", modular_repo, "--arch", ARCH, "nodelib-2.0*")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "nodelib-2.0-1.module_el9+5.x86_64 is hidden by module filtering: module stream "
        "nodelib:2 is not active (no default stream); --module nodelib:2 enables it\n")


def test_modules_command_without_module_metadata(run: Run, mini_repo: Path) -> None:
    result = run("modules", "--repo", mini_repo)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "rpmgraph: no module metadata in the sources\n"
    result = run("modules", "--repo", mini_repo, "-f", "json")
    assert json.loads(result.stdout) == {"platform": None, "hidden": 0, "streams": []}


def test_parsed_modules_are_cached(modular_repo: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The second run reads the parse the first kept in the cache; a damaged copy is
    parsed again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def statuses() -> list[object]:
        loaded = build_pool([Source(SourceKind.REPO, modular_repo)], ARCH, None, None, print)
        assert loaded.modules is not None
        return [*loaded.modules.statuses(), loaded.modules.platform]

    first = statuses()
    (kept,) = tmp_path.rglob("modules.marshal")
    with monkeypatch.context() as patched:
        patched.setattr(modules_source, "parse_modules_yaml", None)  # not called again
        assert statuses() == first
    kept.write_bytes(b"\x00damaged")
    assert statuses() == first


def test_library_load_takes_module_streams(modular_repo: Path) -> None:
    import rpmgraph

    universe = rpmgraph.load([modular_repo], arch=ARCH, modules=["nodejs:20"])
    graph = universe.graph(["tool"])
    assert "nodejs-20.1-1.module_el9+3.x86_64" in {p.nevra for p in graph.packages()}


def test_module_hotfixes_option_names_a_repository(run: Run, modular_repo: Path) -> None:
    """--module-hotfixes NAME does for a --repo what module_hotfixes=1 does in a .repo."""
    hidden = "nodejs-16.0-1.el9.x86_64"
    plain = run("graph", "--repo", f"hot={modular_repo}", "--policy", "all", hidden)
    assert plain.exit_code == 2 and "hidden" in plain.stderr
    ids = _ids(run, "--repo", f"hot={modular_repo}", "--module-hotfixes", "hot",
               "--policy", "all", hidden)
    assert ids == {hidden, "lonely-1.0-1.el9.x86_64"}
    wrong = run("graph", "--repo", f"hot={modular_repo}", "--module-hotfixes", "cold", "tool")
    assert wrong.exit_code == 2
    assert wrong.stderr == ("rpmgraph: error: --module-hotfixes cold: no repository has that "
                            "name (repositories: hot)\n")


def test_budget_and_base_roots_enable_their_streams(run: Run, modular_repo: Path,
                                                    tmp_path: Path) -> None:
    """A module root in a budget or in --base enables its stream as a command's root does."""
    config = tmp_path / "rpmgraph.toml"
    config.write_text(f'repos = ["{modular_repo}"]\narch = "{ARCH}"\n\n[[budget]]\n'
                      'roots = ["@nodejs:20/minimal"]\nmax-packages = 1\n', encoding="utf-8")
    result = run("check", "--config", config)
    assert result.exit_code == 1, result.stderr
    assert "nodejs-20.1-1.module_el9+3.x86_64: max-packages 1" in result.stdout
    based = _ids(run, "--repo", modular_repo, "tool", "--base", "@nodejs:20/minimal")
    assert "tool-1.0-1.el9.x86_64" in based


def test_library_modules_are_what_the_command_lists(run: Run, modular_repo: Path) -> None:
    import rpmgraph

    listed = json.loads(run("modules", "--repo", modular_repo, "--arch", ARCH, "--module",
                            "nodejs:20", "-f", "json").stdout)
    state = rpmgraph.load(repos=[modular_repo], arch=ARCH, modules=["nodejs:20"]).modules()
    assert state is not None
    statuses = {f"{s.name}:{s.stream}": (s.active, s.reason) for s in state.statuses()}
    assert statuses == {f"{s['name']}:{s['stream']}": (s["active"], s["reason"])
                        for s in listed["streams"]}
    assert statuses["nodejs:20"] == (True, "enabled")
