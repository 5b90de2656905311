"""rpmgraph.toml and [tool.rpmgraph]: what is read, and mistakes named by key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpmgraph.checks.config import ConfigError, find_config, load_config

GOOD = """\
repos = ["repo-a", "/abs/repo-b"]
rpms = ["rpms"]
policy = "install"
kinds = ["requires", "recommends"]
weak = false
arch = "x86_64"
baseline = "rpmgraph.lock.json"

[[budget]]
roots = "openstack-*"
max-packages = 120
max-installsize = "250 MiB"
max-new-packages = 0
forbid = ["xorg-x11-*", "gtk*"]

[[budget]]
roots = ["a", "b"]
max-downloadsize = 1048576
max-installsize-increase = "1.5 MB"
"""


def write(folder: Path, text: str, name: str = "rpmgraph.toml") -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_everything_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.repos == (tmp_path / "repo-a", Path("/abs/repo-b"))
    assert config.rpms == (tmp_path / "rpms",)
    assert (config.policy, config.kinds, config.weak, config.arch) == (
        "install", "requires,recommends", False, "x86_64")
    assert config.baseline == tmp_path / "rpmgraph.lock.json"
    assert config.sources == ("repo:repo-a", "repo:/abs/repo-b", "rpm:rpms")
    first, second = config.budgets
    assert first.roots == ("openstack-*",)
    assert first.limits == {"max-packages": 120, "max-installsize": 250 * 1024**2,
                            "max-new-packages": 0}
    assert first.forbid == ("xorg-x11-*", "gtk*")
    assert second.roots == ("a", "b")
    assert second.limits == {"max-downloadsize": 1_048_576,
                             "max-installsize-increase": 1_500_000}


def test_pyproject_table(tmp_path: Path) -> None:
    text = ('[project]\nname = "x"\n\n[tool.rpmgraph]\nrepos = ["r"]\n\n'
            '[[tool.rpmgraph.budget]]\nroots = "a"\nmax-packages = 3\n')
    path = write(tmp_path, text, "pyproject.toml")
    assert find_config(None, tmp_path) == path
    config = load_config(path)
    assert config.budgets[0].limits == {"max-packages": 3}
    assert config.sources == ("repo:r",) and config.repos == (tmp_path / "r",)


def test_rpmgraph_toml_wins_and_a_plain_pyproject_is_ignored(tmp_path: Path) -> None:
    write(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    with pytest.raises(ConfigError, match=r"no rpmgraph\.toml"):
        find_config(None, tmp_path)
    path = write(tmp_path, GOOD)
    assert find_config(None, tmp_path) == path
    with pytest.raises(ConfigError, match=r"config file .*nope\.toml does not exist"):
        find_config(tmp_path / "nope.toml", tmp_path)


def test_no_source_means_the_installed_database(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[[budget]]\nroots = "a"\nforbid = "b*"\n'))
    assert config.sources == ("installed",) and config.budgets[0].forbid == ("b*",)


@pytest.mark.parametrize(("text", "message"), [
    # unknown key at the top, then in the second budget (the line of *that* budget's key)
    ('repo = ["x"]\n[[budget]]\nroots = "a"\nmax-packages = 1\n',
     "rpmgraph.toml:1: repo: unknown key (known keys: repos, rpms, installed, arch, policy, "
     "kinds, weak, baseline, budget)"),
    ('[[budget]]\nroots = "a"\nmax-pkgs = 1\n[[budget]]\nroots = "b"\n\nmax-pkgs = 2\n',
     "rpmgraph.toml:3: max-pkgs: unknown key in [[budget]] number 1"),
    ('[[budget]]\nroots = "a"\nmax-packages = 1\n[[budget]]\nroots = "b"\n\nmax-pkgs = 2\n',
     "rpmgraph.toml:7: max-pkgs: unknown key in [[budget]] number 2"),
    # wrong types
    ('repos = "x"\nweak = "no"\n[[budget]]\nroots = "a"\nmax-packages = 1\n',
     "rpmgraph.toml:2: weak: expected true or false, got 'no'"),
    ('[[budget]]\nroots = "a"\nmax-packages = "many"\n',
     "rpmgraph.toml:3: max-packages: expected a number of packages (0 or more), got 'many'"),
    ('[[budget]]\nroots = 3\nmax-packages = 1\n',
     "rpmgraph.toml:2: roots: expected a string or a list of strings, got 3"),
    ('policy = "some"\n[[budget]]\nroots = "a"\nmax-packages = 1\n',
     "rpmgraph.toml:1: policy: expected \"install\" or \"all\", got 'some'"),
    ('kinds = "requires,wishes"\n[[budget]]\nroots = "a"\nmax-packages = 1\n',
     "rpmgraph.toml:1: kinds: unknown dependency kind 'wishes'"),
    # unparsable size
    ('[[budget]]\nroots = "a"\n  "max-installsize" = "250 MB!"\n',
     "rpmgraph.toml:3: max-installsize: cannot read '250 MB!' as a size"),
    # missing pieces
    ('[[budget]]\nmax-packages = 1\n',
     "rpmgraph.toml:1: [[budget]] number 1 has no 'roots'"),
    ('[[budget]]\nroots = "a"\n', "rpmgraph.toml:1: [[budget]] number 1 sets no limit"),
    ('repos = ["x"]\n', "rpmgraph.toml: no [[budget]] table"),
    ('[[budget]]\nroots = "a"\nmax-new-packages = 0\n',
     "rpmgraph.toml:3: max-new-packages: compares with a baseline, but the config names none"),
    ('repos = ["x"\n', "rpmgraph.toml: not valid TOML:"),
])
def test_mistakes_name_key_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert str(caught.value).startswith(f"{tmp_path}/{message}"), str(caught.value)


def test_pyproject_lines_count_from_its_table(tmp_path: Path) -> None:
    text = ('[project]\nname = "x"\nroots = "not ours"\n\n[tool.rpmgraph]\n\n'
            '[[tool.rpmgraph.budget]]\nroots = "a"\nmax-packages = -1\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml:9: max-packages: expected a number"):
        load_config(write(tmp_path, text, "pyproject.toml"))
