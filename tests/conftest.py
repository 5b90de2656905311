"""Fixtures: real rpms built by rpmbuild, real repositories made by createrepo_c.

``mini`` is a small universe with one of each thing resolution must get right;
the expected graphs in the tests are worked out by hand from these specs.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

from rpmgraph.cli import cli
from tests.support.rpmbuild import Spec, build_rpms, make_repo

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_REPOS = ROOT / "sample_repos"


def load_script(path: Path, name: str) -> ModuleType:
    """A script of the project (benchmarks/, scripts/) imported as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module

MINI_SPECS = [
    Spec(name="app", summary="the root application",
         requires=["lib >= 2", "(tool if shell)", "/bin/sh", "/usr/share/data/file.dat",
                   "webserver", "engine >= 2:1.0", "archcap"],
         requires_pre=["users"], recommends=["extras"], suggests=["docs"],
         files={"/usr/bin/app": "#!/bin/sh\necho app\n"}),
    Spec(name="lib", version="1.0", summary="old library build", requires=["libcore"]),
    Spec(name="lib", version="2.0", summary="new library build", requires=["libcore"]),
    Spec(name="libcore", summary="core half of a cycle", requires=["lib"]),
    Spec(name="tool", summary="needed only where a shell is"),
    Spec(name="shell", summary="provides /bin/sh", files={"/bin/sh": "#!shell\n"}),
    Spec(name="data", summary="a file only filelists know",
         files={"/usr/share/data/file.dat": "data\n" * 100}),
    Spec(name="web-a", summary="first web server", provides=["webserver"]),
    Spec(name="web-b", summary="second web server", provides=["webserver"]),
    Spec(name="users", summary="pre-required user setup"),
    Spec(name="extras", summary="recommended extras"),
    Spec(name="docs", summary="suggested documentation"),
    Spec(name="engine", epoch=2, version="1.0", summary="an epoch'd engine"),
    Spec(name="plugin", summary="supplements app", supplements=["app"]),
    Spec(name="native", arch="x86_64", summary="native build", provides=["archcap"]),
    Spec(name="foreign", arch="aarch64", summary="foreign build", provides=["archcap"]),
    Spec(name="broken", summary="requires what nothing provides",
         requires=["nothing-provides-this >= 1.0"]),
    Spec(name="lonely", summary="no dependencies at all"),
    Spec(name="cond", summary="needs tool only where docs are installed",
         requires=["(tool if docs)", "lonely"]),
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes into the user's metadata cache: each gets its own XDG_CACHE_HOME."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture(scope="session")
def mini_rpms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mini") / "rpms"
    folder.mkdir()
    build_rpms(MINI_SPECS, folder)
    return folder


@pytest.fixture(scope="session")
def mini_repo(mini_rpms: Path) -> Path:
    """The mini rpms as a gzip-compressed rpm-md repository named 'mini'."""
    repo = mini_rpms.parent / "mini"
    shutil.copytree(mini_rpms, repo)
    return make_repo(repo)


@pytest.fixture
def copy_repo(tmp_path: Path) -> Callable[[Path], Path]:
    """A private copy of a repository, for tests that damage it."""

    def copy(source: Path) -> Path:
        target = tmp_path / source.name
        shutil.copytree(source, target)
        return target

    return copy


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke the CLI as a user would, with stdout and stderr kept apart."""

    def invoke(*args: str | Path) -> Result:
        return CliRunner().invoke(cli, [str(a) for a in args], prog_name="rpmgraph",
                                  catch_exceptions=False)

    return invoke
