"""Where repositories are: ``--repo PATH|URL|NAME=...`` and yum/dnf ``.repo`` files.

A ``.repo`` file is INI: one section per repository, with ``baseurl`` (one or more
URLs), ``mirrorlist`` (a URL of a plain list of base URLs), ``metalink``, ``name``
and ``enabled``. ``$basearch``, ``$arch`` and ``$releasever`` (and variables from
dnf's vars folders) are substituted as dnf does.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from rpmgraph.errors import SourceError

if TYPE_CHECKING:
    import configparser

REMOTE_SCHEMES = ("http", "https", "ftp")
# dnf's folders, in its order: dnf 4 (yum.repos.d), yum, dnf 5 (distro.repos.d)
SYSTEM_REPOSDIRS = (Path("/etc/yum.repos.d"), Path("/etc/yum/repos.d"),
                    Path("/etc/distro.repos.d"))
SYSTEM_CONF = (Path("/etc/dnf/dnf.conf"), Path("/etc/yum.conf"))
SYSTEM_VARSDIRS = (Path("/etc/dnf/vars"), Path("/etc/yum/vars"))
_NAME = re.compile(r"[A-Za-z0-9_.:+-]+")

# rpm's architecture to dnf's $basearch (dnf.rpm._BASEARCH_MAP, the common ones)
_BASEARCH = {"i386": "i386", "i486": "i386", "i586": "i386", "i686": "i386",
             "athlon": "i386", "geode": "i386", "amd64": "x86_64", "ia32e": "x86_64",
             "x86_64": "x86_64", "x86_64_v2": "x86_64", "x86_64_v3": "x86_64",
             "aarch64": "aarch64", "armv7hl": "armhfp", "armv7hnl": "armhfp",
             "armv6l": "arm", "armv7l": "arm", "ppc64le": "ppc64le", "ppc64": "ppc64",
             "s390x": "s390x", "riscv64": "riscv64", "noarch": "noarch"}


def basearch(arch: str) -> str:
    return _BASEARCH.get(arch, arch)


@dataclass(frozen=True, slots=True)
class RepoSpec:
    """One repository: a local folder, or base URLs / a mirrorlist / a metalink."""

    name: str | None = None
    path: Path | None = None
    baseurls: tuple[str, ...] = ()
    mirrorlist: str | None = None
    metalink: str | None = None
    module_hotfixes: bool = False  # never hidden by module filtering (.repo files' option)

    @property
    def remote(self) -> bool:
        return self.path is None

    @property
    def location(self) -> str:
        """What the repository is known by: its folder or its first URL."""
        if self.path is not None:
            return str(self.path)
        return (self.baseurls[0] if self.baseurls else self.mirrorlist or self.metalink
                or "")

    def cache_location(self) -> str:
        """The cache key of the repository's location (absolute, for folders)."""
        if self.path is not None:
            return self.path.resolve().as_uri()
        return self.location

    def default_name(self) -> str:
        if self.name:
            return self.name
        if self.path is not None:
            return self.path.resolve().name or "repo"
        tail = urlparse(self.location).path.rstrip("/").rsplit("/", 1)[-1]
        return unquote(tail) or urlparse(self.location).hostname or "repo"

    def label(self) -> str:
        return f"{self.name}={self.location}" if self.name else self.location


def parse_repo_option(text: str) -> RepoSpec:
    """``--repo``: a folder, an http(s)/file URL, or either as NAME=..."""
    name: str | None = None
    head, sep, rest = text.partition("=")
    if sep and _NAME.fullmatch(head) and "://" not in head:
        name, text = head, rest
    return location_spec(text, name)


def location_spec(text: str, name: str | None) -> RepoSpec:
    parsed = urlparse(text)
    if parsed.scheme == "file":
        return RepoSpec(name=name, path=Path(unquote(parsed.path)))
    if parsed.scheme in REMOTE_SCHEMES and parsed.netloc:
        return RepoSpec(name=name, baseurls=(text,))
    if "://" in text:
        raise SourceError(f"unsupported URL {text!r}: use http, https or file URLs")
    return RepoSpec(name=name, path=Path(text))


# ---------------------------------------------------------------- .repo files


@dataclass(frozen=True, slots=True)
class RepoConfig:
    """One section of a .repo file, variables substituted."""

    id: str
    source: Path
    enabled: bool
    spec: RepoSpec


@dataclass(frozen=True, slots=True)
class RepoVars:
    """Values for $basearch, $arch, $releasever and the vars folders' variables."""

    values: dict[str, str]

    @classmethod
    def make(cls, arch: str, releasever: str | None,
             varsdirs: Iterable[Path] = ()) -> RepoVars:
        values = {"arch": arch, "basearch": basearch(arch)}
        for folder in varsdirs:
            for path in sorted(folder.glob("*")) if folder.is_dir() else []:
                if path.is_file() and _NAME.fullmatch(path.name):
                    values[path.name] = _first_line(path)
        if releasever is not None:
            values["releasever"] = releasever
        elif "releasever" not in values and (found := system_releasever()):
            values["releasever"] = found
        return cls(values)

    def substitute(self, text: str, where: str) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(1) or match.group(2)
            if name not in self.values:
                hint = " (pass --releasever)" if name == "releasever" else ""
                raise SourceError(f"{where}: unknown variable ${name}{hint}")
            return self.values[name]

        return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, text)


def _first_line(path: Path) -> str:
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read {path}: {exc}") from None
    return lines[0].strip() if lines else ""


def system_releasever(os_release: Path = Path("/etc/os-release")) -> str | None:
    """VERSION_ID of /etc/os-release (dnf reads it from the system-release package)."""
    try:
        text = os_release.read_text()
    except OSError:
        return None
    match = re.search(r'^VERSION_ID="?([^"\n]+)"?', text, re.M)
    return match.group(1) if match else None


def read_repofile(path: Path, variables: RepoVars, main_ok: bool = False) -> list[RepoConfig]:
    """Every repository section of one .repo file (``[main]`` too in dnf.conf)."""
    import configparser  # only when .repo files are read

    parser = configparser.ConfigParser(interpolation=None, strict=False,
                                       default_section="\x00none")
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except FileNotFoundError:
        raise SourceError(f"repository file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise SourceError(f"cannot read repository file {path}: "
                          f"{str(exc).splitlines()[0]}") from None
    sections = [s for s in parser.sections() if not (main_ok and s == "main")]
    return [_section(path, s, parser[s], variables) for s in sections]


def _section(path: Path, section: str, values: configparser.SectionProxy,
             variables: RepoVars) -> RepoConfig:
    where = f"{path} [{section}]"
    repo_id = variables.substitute(section, where)

    def get(key: str) -> str | None:
        raw = values.get(key)
        return variables.substitute(raw.strip(), f"{where} {key}") if raw else None

    baseurls = tuple(u for u in re.split(r"[\s,]+", get("baseurl") or "") if u)
    mirrorlist, metalink = get("mirrorlist"), get("metalink")
    if not (baseurls or mirrorlist or metalink):
        raise SourceError(f"{where}: no baseurl, mirrorlist or metalink")
    enabled = _true(get("enabled") or "1")
    hotfixes = _true(get("module_hotfixes") or "0")
    first = location_spec(baseurls[0], repo_id) if baseurls else None
    if first is not None and first.path is not None and len(baseurls) == 1:
        return RepoConfig(repo_id, path, enabled, replace(first, module_hotfixes=hotfixes))
    for url in baseurls:
        location_spec(url, repo_id)  # refuses what is not a URL we can read
    spec = RepoSpec(name=repo_id, baseurls=baseurls, mirrorlist=mirrorlist, metalink=metalink,
                    module_hotfixes=hotfixes)
    return RepoConfig(repo_id, path, enabled, spec)


def _true(value: str) -> bool:
    """A boolean option as dnf reads it."""
    return value.lower() in ("1", "yes", "true", "on")


def read_reposdir(folder: Path, variables: RepoVars) -> list[RepoConfig]:
    if not folder.is_dir():
        raise SourceError(f"repository folder {folder} does not exist")
    return [c for f in sorted(folder.glob("*.repo")) for c in read_repofile(f, variables)]


def system_configs(variables: RepoVars) -> list[RepoConfig]:
    """The machine's repositories, as dnf finds them: dnf.conf's reposdir (or the
    default folders), and repository sections in dnf.conf itself."""
    conf = next((p for p in SYSTEM_CONF if p.is_file()), None)
    folders: tuple[Path, ...] = SYSTEM_REPOSDIRS
    configs: list[RepoConfig] = []
    if conf is not None:
        configs += read_repofile(conf, variables, main_ok=True)
        folders = _conf_reposdirs(conf) or folders
    for folder in folders:
        if folder.is_dir():
            configs += read_reposdir(folder, variables)
    return configs


def _conf_reposdirs(conf: Path) -> tuple[Path, ...]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(conf, encoding="utf-8")
    except configparser.Error:
        return ()
    value = parser.get("main", "reposdir", fallback="")
    return tuple(Path(p) for p in re.split(r"[\s,]+", value) if p)


def select(configs: list[RepoConfig], enable: Iterable[str],
           disable: Iterable[str]) -> list[RepoSpec]:
    """Enabled repositories after --disablerepo, then --enablerepo (globs on the ids)."""
    enable_globs = _globs(enable)
    disable_globs = _globs(disable)
    for glob in enable_globs:
        if not any(fnmatch.fnmatchcase(c.id, glob) for c in configs):
            known = ", ".join(sorted({c.id for c in configs})) or "none"
            raise SourceError(f"--enablerepo {glob}: no such repository (known: {known})")
    chosen: dict[str, RepoSpec] = {}
    for config in configs:
        enabled = config.enabled and not _matches(config.id, disable_globs)
        if enabled or _matches(config.id, enable_globs):
            chosen.setdefault(config.id, config.spec)  # the first definition wins, as in dnf
    return list(chosen.values())


def _globs(values: Iterable[str]) -> list[str]:
    return [g for v in values for g in v.split(",") if g]


def _matches(repo_id: str, globs: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(repo_id, g) for g in globs)


@dataclass(frozen=True, slots=True)
class RepoConfigOptions:
    """The command line's repository configuration options."""

    repofiles: tuple[Path, ...] = ()
    reposdirs: tuple[Path, ...] = ()
    system: bool = False
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    releasever: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.repofiles or self.reposdirs or self.system)

    def specs(self, arch: str) -> list[RepoSpec]:
        """The enabled repositories of every .repo file asked for, in order."""
        if not self.given:
            if self.enable or self.disable:
                raise SourceError("--enablerepo and --disablerepo choose among the "
                                  "repositories of --repofile, --reposdir or --system-repos")
            return []
        variables = RepoVars.make(arch, self.releasever,
                                  SYSTEM_VARSDIRS if self.system else ())
        configs = [c for f in self.repofiles for c in read_repofile(f, variables)]
        configs += [c for d in self.reposdirs for c in read_reposdir(d, variables)]
        if self.system:
            configs += system_configs(variables)
        chosen = select(configs, self.enable, self.disable)
        if not chosen:
            places = [*map(str, self.repofiles), *map(str, self.reposdirs)]
            if self.system:
                places += [str(p) for p in (*SYSTEM_CONF, *SYSTEM_REPOSDIRS)
                           if p.exists()] or ["this machine (no dnf or yum configuration)"]
            where = ", ".join(dict.fromkeys(places))
            raise SourceError(f"no enabled repository in {where} (see --enablerepo)")
        return chosen
