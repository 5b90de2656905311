"""Module streams: modules.yaml read, active streams chosen and packages hidden as dnf does.

dnf (libdnf's ``ModulePackageContainer`` and ``dnf_sack_filter_modules_v2``) hides
packages in three steps, followed here:

1. Every ``modulemd`` document (one context of one version of a stream) becomes a
   solvable named ``NAME:STREAM:CONTEXT`` in a pool of its own, providing
   ``module(NAME)`` and ``module(NAME:STREAM)``, requiring the streams its
   ``dependencies`` name and conflicting with the module's other streams; the
   ``platform`` pseudo-module is an installed solvable there.
2. The streams wanted (enabled ones, and the default stream of every module neither
   enabled nor disabled) are installed by libsolv's solver, newest first; a stream
   is active when the solver installs one of its contexts (every version of that
   context is then active), which also activates the streams they require.
3. Hidden are the artifacts of inactive streams, and every non-modular package whose
   name, or one of whose provides, is the name of an artifact of an active stream;
   never the active artifacts themselves, nor packages of the rpm database, of
   ``--rpm`` files or of repositories marked ``module_hotfixes``.

Modular packages are exactly the ``data.artifacts.rpms`` NEVRAs: the release's
``.module_`` tag is not looked at.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import solv

from rpmgraph.errors import RootError, SourceError

if TYPE_CHECKING:
    from rpmgraph.sources.repomd import RepomdRepo

MAX_DOCUMENTS = 100_000  # CentOS Stream 9's AppStream has about 800
MAX_ITEMS = 10_000_000  # strings read from one modules.yaml (artifacts, profiles, ...)
_CACHE_FORMAT = 1  # of the parsed modules.yaml kept in the cache (read_repo_modules)
_PLATFORM_PROVIDE = re.compile(r"^base-module\(([^()\s]+)\)")
_NEVRA = re.compile(r"^(?P<name>.+)-(?:(?P<epoch>\d+):)?(?P<version>[^-:]+)-(?P<release>[^-:]+)"
                    r"\.(?P<arch>[^.-]+)$")


@dataclass(frozen=True, slots=True)
class ModuleStream:
    """One ``modulemd`` document: one context of one version of a module stream."""

    name: str
    stream: str
    version: int
    context: str
    arch: str
    artifacts: tuple[str, ...] = ()
    profiles: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (profile, package names)
    # Each dependencies entry's runtime requires: (module, streams); all of them count.
    requires: tuple[tuple[str, tuple[str, ...]], ...] = ()
    repo: str = ""

    def profile(self, name: str) -> tuple[str, ...] | None:
        """The package names of profile ``name``; None when there is no such profile."""
        return next((rpms for p, rpms in self.profiles if p == name), None)


@dataclass(frozen=True, slots=True)
class ModuleDefaults:
    """One ``modulemd-defaults`` document."""

    module: str
    stream: str | None
    profiles: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (stream, default profiles)
    repo: str = ""


@dataclass(slots=True)
class ModuleMetadata:
    """What the modules.yaml of every repository says."""

    streams: list[ModuleStream] = field(default_factory=list)
    defaults: list[ModuleDefaults] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.streams)


# ---------------------------------------------------------------- parsing


class _Reader:
    """Typed access to one document, with its place for messages and a shared budget."""

    def __init__(self, where: str, budget: list[int]) -> None:
        self.where = where
        self.budget = budget

    def fail(self, what: str) -> SourceError:
        return SourceError(f"{self.where}: {what}")

    def spend(self, n: int) -> None:
        self.budget[0] -= n
        if self.budget[0] < 0:
            raise self.fail(f"more than {MAX_ITEMS} entries in all")

    def mapping(self, value: object, key: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(f"{key} is not a mapping")
        self.spend(len(value))
        return value

    def text(self, value: object, key: str, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value or (required and not value.strip()):
            raise self.fail(f"{key} is missing or not a string")
        return value

    def strings(self, value: object, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{key} is not a list of strings")
        self.spend(len(value))
        return tuple(value)


def parse_modules_yaml(data: bytes, label: str, repo: str = "") -> ModuleMetadata:
    """The ``modulemd`` (version 2) and ``modulemd-defaults`` documents of one
    modules.yaml; other documents (obsoletes, translations) are skipped. Raises
    SourceError, one line, on anything malformed."""
    found = ModuleMetadata()
    budget = [MAX_ITEMS]
    for index, doc in enumerate(_documents(data, label), start=1):
        if index > MAX_DOCUMENTS:
            raise SourceError(f"{label}: more than {MAX_DOCUMENTS} documents")
        reader = _Reader(f"{label}: document {index}", budget)
        top = reader.mapping(doc, "the document")
        kind = top.get("document")
        body = reader.mapping(top.get("data"), "data")
        if kind == "modulemd":
            if top.get("version") != "2":
                raise reader.fail(f"modulemd version {_short(str(top.get('version')))!r} is "
                                  "not supported (only version 2 is)")
            found.streams.append(_stream(reader, body, repo))
        elif kind == "modulemd-defaults":
            found.defaults.append(_defaults(reader, body, repo))
        elif not isinstance(kind, str):
            raise reader.fail("no 'document' type")
    return found


def _documents(data: bytes, label: str) -> Iterator[object]:
    """The documents, parsed by libyaml with every scalar kept a string (PyYAML's
    BaseLoader resolves no tags: stream ``3.10`` stays "3.10", ``on`` stays "on")."""
    import yaml  # only runs with module metadata pay for its import

    try:
        yield from yaml.load_all(data, Loader=yaml.CBaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise SourceError(f"{label}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise SourceError(f"{label}: not valid YAML: nested too deeply") from None


def _stream(r: _Reader, body: Mapping[str, Any], repo: str) -> ModuleStream:
    name = r.text(body.get("name"), "data.name")
    stream = r.text(body.get("stream"), "data.stream")
    r.where = f"{r.where} ({_short(f'{name}:{stream}')})"
    version = r.text(body.get("version", "0"), "data.version")
    if not (version.isascii() and version.isdigit()) or len(version) > 20:
        raise r.fail(f"data.version {_short(version)!r} is not a number")
    artifacts = r.mapping(body.get("artifacts"), "data.artifacts")
    return ModuleStream(
        name=name, stream=stream, version=int(version),
        context=r.text(body.get("context"), "data.context", required=False),
        arch=r.text(body.get("arch"), "data.arch", required=False) or "noarch",
        artifacts=r.strings(artifacts.get("rpms"), "data.artifacts.rpms"),
        profiles=tuple(
            (r.text(p, "a profile name"),
             r.strings(r.mapping(v, f"profile {p}").get("rpms"), f"profile {p}'s rpms"))
            for p, v in r.mapping(body.get("profiles"), "data.profiles").items()),
        requires=_requires(r, body.get("dependencies")), repo=repo)


def _short(text: str, limit: int = 60) -> str:
    """Metadata quoted in a message, cut to ``limit`` characters."""
    return text if len(text) <= limit else f"{text[:limit]}..."


def _requires(r: _Reader, value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise r.fail("data.dependencies is not a list")
    r.spend(len(value))
    found: list[tuple[str, tuple[str, ...]]] = []
    for entry in value:
        requires = r.mapping(r.mapping(entry, "a dependencies entry").get("requires"),
                             "dependencies.requires")
        found += [(r.text(m, "a required module"), r.strings(s, f"requires.{m}"))
                  for m, s in requires.items()]
    return tuple(found)


def _defaults(r: _Reader, body: Mapping[str, Any], repo: str) -> ModuleDefaults:
    module = r.text(body.get("module"), "data.module")
    stream = body.get("stream")
    if stream is not None:
        stream = r.text(stream, "data.stream")
    profiles = r.mapping(body.get("profiles"), "data.profiles")
    return ModuleDefaults(module=module, stream=stream, repo=repo, profiles=tuple(
        (r.text(s, "a stream of data.profiles"), r.strings(p, f"profiles.{s}"))
        for s, p in profiles.items()))


def parse_nevra(nevra: str) -> tuple[str, int, str, str, str] | None:
    """``name-epoch:version-release.arch`` (epoch optional) as its parts; None if not."""
    m = _NEVRA.match(nevra)
    if m is None:
        return None
    return m["name"], int(m["epoch"] or 0), m["version"], m["release"], m["arch"]


def parse_module_spec(spec: str) -> tuple[str, str, str | None]:
    """``NAME:STREAM`` or ``NAME:STREAM/PROFILE`` (a leading ``@`` allowed) as its parts;
    ValueError when it is neither."""
    text = spec.removeprefix("@")
    head, _, profile = text.partition("/")
    name, sep, stream = head.partition(":")
    if not sep or not name or not stream or ":" in stream or ("/" in text and not profile):
        raise ValueError(f"{spec!r} is not NAME:STREAM or NAME:STREAM/PROFILE")
    return name, stream, profile or None


# ---------------------------------------------------------------- choosing streams


@dataclass(frozen=True, slots=True)
class ModuleChoices:
    """What the user asked of modules: streams to enable (``NAME:STREAM``; ``--module``
    and roots ``@NAME:STREAM``), and the platform (``platform:el9``) when it must not
    be detected."""

    enabled: tuple[str, ...] = ()  # --module
    platform: str | None = None
    root: Path | None = None  # where os-release is read (--root)
    hotfix_repos: tuple[str, ...] = ()  # repositories (names) whose packages stay visible
    state_dir: Path | None = None  # the system's module state (etc/dnf/modules.d)
    roots: tuple[str, ...] = ()  # streams of roots @NAME:STREAM[/PROFILE], enabled too

    def key(self) -> list[str]:
        """What the pool's cached id sets depend on besides the metadata."""
        return ["modules", *sorted(self.enabled), "roots", *sorted(self.roots),
                self.platform or "", str(self.root or ""), "hotfixes", *sorted(self.hotfix_repos)]

    def with_hotfixes(self, repo: RepomdRepo) -> ModuleChoices:
        """These choices, with ``repo`` (``module_hotfixes=1``) never filtered."""
        return replace(self, hotfix_repos=(*self.hotfix_repos, repo.repo.name))

    def enabled_streams(self) -> dict[str, str]:
        """Module name -> the stream enabled, from --module and the roots."""
        streams: dict[str, str] = {}
        for spec, where in [(s, f"--module {s}") for s in self.enabled] + \
                [(s, f"root @{s}") for s in self.roots]:
            try:
                name, stream, _ = parse_module_spec(spec)
            except ValueError as exc:
                raise SourceError(f"--module: {exc}") from None
            if streams.setdefault(name, stream) != stream:
                raise SourceError(f"{where}: module {name} has stream {streams[name]} "
                                  "enabled already (one stream of a module at a time)")
        return streams

    def first(self) -> str:
        """How the first stream asked for was asked for, for messages."""
        return f"--module {self.enabled[0]}" if self.enabled else f"root @{self.roots[0]}"


@dataclass(frozen=True, slots=True)
class StreamStatus:
    """One module stream as ``rpmgraph modules`` lists it."""

    name: str
    stream: str
    active: bool
    reason: str  # enabled, default, required by NAME:STREAM, not default, ...
    context: str | None  # the context (and version) the solver chose
    version: int | None
    contexts: tuple[str, ...]
    hides: int  # packages hidden because of this stream
    default_profiles: tuple[str, ...]
    profiles: tuple[str, ...]


@dataclass(slots=True)
class ModuleState:
    """The streams of the sources, which are active, and the packages hidden."""

    metadata: ModuleMetadata
    enabled: dict[str, str]
    defaults: dict[str, str]
    default_profiles: dict[tuple[str, str], tuple[str, ...]]
    platform: str | None
    active: set[int]  # indexes into metadata.streams
    chosen: dict[tuple[str, str], ModuleStream]  # per active name:stream, the one installed
    hidden: set[int] = field(default_factory=set)
    hides: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)  # modules disabled in modules.d

    def statuses(self) -> list[StreamStatus]:
        by_stream: dict[tuple[str, str], list[int]] = {}
        for i, m in enumerate(self.metadata.streams):
            by_stream.setdefault((m.name, m.stream), []).append(i)
        return [self._status(key, docs) for key, docs in sorted(by_stream.items())]

    def _status(self, key: tuple[str, str], docs: list[int]) -> StreamStatus:
        streams = self.metadata.streams
        chosen = self.chosen.get(key)
        return StreamStatus(
            name=key[0], stream=key[1], active=chosen is not None,
            reason=self.reason(key, chosen is not None),
            context=chosen.context if chosen else None,
            version=chosen.version if chosen else None,
            contexts=tuple(sorted({streams[i].context for i in docs})),
            hides=len(self.hides.get(key, ())),
            default_profiles=self.default_profiles.get(key, ()),
            profiles=tuple(sorted({p for i in docs for p, _ in streams[i].profiles})))

    def reason(self, key: tuple[str, str], active: bool) -> str:
        """Why the stream ``key`` is active, or not."""
        name, stream = key
        enabled = self.enabled.get(name)
        default = self.defaults.get(name)
        if enabled == stream:
            return "enabled" if active else "enabled, but its dependencies cannot be met"
        if active:
            return "default" if enabled is None and default == stream else self._required(name)
        if name in self.disabled:
            return "module disabled"
        return self._inactive(name, stream)

    def _inactive(self, name: str, stream: str) -> str:
        enabled = self.enabled.get(name)
        default = self.defaults.get(name)
        if enabled is not None:
            return f"stream {enabled} enabled"
        other = next((s for n, s in sorted(self.chosen) if n == name), None)
        if other is not None and other != default:
            return f"stream {other} {self._required(name)}"
        if default == stream:
            return "default, but its dependencies cannot be met"
        return "not default" if default is not None else "no default stream"


    def _required(self, name: str) -> str:
        by = sorted(f"{m.name}:{m.stream}" for m in self.chosen.values()
                    if m.name != name and any(r == name for r, _ in m.requires))
        return f"required by {', '.join(by)}" if by else "required"


def merge_defaults(metadata: ModuleMetadata) -> tuple[dict[str, str],
                                                     dict[tuple[str, str], tuple[str, ...]]]:
    """Default stream of each module (none where repositories disagree) and the default
    profiles of each stream."""
    streams: dict[str, str | None] = {}
    profiles: dict[tuple[str, str], tuple[str, ...]] = {}
    for d in metadata.defaults:
        if d.stream is not None:
            streams[d.module] = d.stream if streams.get(d.module, d.stream) == d.stream else None
        for stream, names in d.profiles:
            merged = set(profiles.get((d.module, stream), ())) | set(names)
            profiles[(d.module, stream)] = tuple(sorted(merged))
    return {m: s for m, s in streams.items() if s is not None}, profiles


def choose_streams(metadata: ModuleMetadata, choices: ModuleChoices, arch: str,
                   platform: str | None) -> ModuleState:
    """Which streams are active, as libdnf's ``moduleSolve`` decides."""
    asked = choices.enabled_streams()
    known = {(m.name, m.stream) for m in metadata.streams}
    for name, stream in sorted(asked.items()):
        if (name, stream) not in known:
            raise SourceError(f"no module stream {name}:{stream} in the sources"
                              f"{_known_streams(metadata, name)}")
    system, disabled = read_module_state(choices.state_dir)
    enabled = {**{m: s for m, s in system.items() if (m, s) in known}, **asked}
    disabled -= set(asked)
    defaults, profiles = merge_defaults(metadata)
    wanted = dict(enabled)
    wanted.update({m: s for m, s in defaults.items()
                   if m not in enabled and m not in disabled and (m, s) in known})
    solver = _ModuleSolver([m for m in metadata.streams if m.name not in disabled], arch,
                           platform)
    installed = solver.solve(wanted, optional=set(wanted) - set(enabled))
    names = {f"{m.name}:{m.stream}:{m.context}" for m in installed}
    active = {i for i, m in enumerate(metadata.streams)
              if f"{m.name}:{m.stream}:{m.context}" in names}
    chosen = {(m.name, m.stream): m for m in installed}
    return ModuleState(metadata=metadata, enabled=enabled, defaults=defaults,
                       default_profiles=profiles, platform=platform, active=active,
                       chosen=chosen, disabled=disabled)


def read_module_state(folder: Path | None) -> tuple[dict[str, str], set[str]]:
    """Enabled streams and disabled modules of dnf's ``etc/dnf/modules.d/*.module``
    files (INI: ``[NAME]`` with ``stream=`` and ``state=enabled|disabled``); files that
    cannot be read count as absent, as with dnf."""
    import configparser

    enabled: dict[str, str] = {}
    disabled: set[str] = set()
    for path in sorted(folder.glob("*.module")) if folder is not None and folder.is_dir() else []:
        name = path.name.removesuffix(".module")
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(path.read_text(encoding="utf-8"))
            section = parser[name]
        except (OSError, UnicodeDecodeError, configparser.Error, KeyError):
            continue
        state = (section.get("state") or section.get("enabled") or "").strip().lower()
        stream = (section.get("stream") or "").strip()
        if state in ("enabled", "1", "true") and stream:
            enabled[name] = stream
        elif state in ("disabled", "0", "false"):
            disabled.add(name)
    return enabled, disabled


def _known_streams(metadata: ModuleMetadata, name: str) -> str:
    streams = sorted({m.stream for m in metadata.streams if m.name == name})
    return f" (module {name} has {', '.join(streams)})" if streams else \
        f" (no module {name})"


class _ModuleSolver:
    """A libsolv pool of module solvables, as libdnf builds its module sack."""

    def __init__(self, streams: list[ModuleStream], arch: str, platform: str | None) -> None:
        self.pool = pool = solv.Pool()
        pool.setarch(arch)
        repo = pool.add_repo("available")
        self.streams = streams
        self.ids: dict[int, int] = {}  # solvable id -> index into streams
        by_name: dict[str, set[str]] = {}
        for m in streams:
            by_name.setdefault(m.name, set()).add(m.stream)
        for i, m in enumerate(streams):
            s = repo.add_solvable()
            self._describe(s, m.name, m.stream, m.context, str(m.version), m.arch)
            for other in sorted(by_name[m.name] - {m.stream}):
                s.add_conflicts(pool.Dep(f"module({m.name}:{other})"))
            for module, wanted in m.requires:
                self._require(s, module, wanted)
            self.ids[s.id] = i
        if platform is not None:
            system = pool.add_repo("@System")
            name, _, stream = platform.partition(":")
            self._describe(system.add_solvable(), name, stream, "00000000", "0", "noarch")
            pool.installed = system
        pool.addfileprovides()
        pool.createwhatprovides()

    def _describe(self, s: solv.XSolvable, name: str, stream: str, context: str, version: str,
                  arch: str) -> None:
        s.name = f"{name}:{stream}:{context}"
        s.evr = version
        s.arch = arch
        s.add_provides(self.pool.Dep(f"module({name})"))
        s.add_provides(self.pool.Dep(f"module({name}:{stream})"))

    def _require(self, s: solv.XSolvable, module: str, streams: tuple[str, ...]) -> None:
        wanted = [f"module({module}:{st})" for st in streams if not st.startswith("-")]
        for st in streams:
            if st.startswith("-"):
                s.add_conflicts(self.pool.Dep(f"module({module}:{st[1:]})"))
        if not wanted:
            s.add_requires(self.pool.Dep(f"module({module})"))
        elif len(wanted) == 1:
            s.add_requires(self.pool.Dep(wanted[0]))
        else:
            dep = self.pool.parserpmrichdep(f"({' or '.join(wanted)})")
            if dep:
                s.add_requires(dep if isinstance(dep, solv.Dep) else solv.Dep(self.pool, dep))

    def solve(self, wanted: Mapping[str, str], optional: set[str]) -> list[ModuleStream]:
        """Install ``module(NAME:STREAM)`` of each wanted stream, newest first: every
        one strictly, then the ``optional`` ones (defaults) weakly, then all weakly."""
        if not wanted:
            return []
        # libdnf: strict and best, then defaults optional (still best), then all optional
        for weak, best in ((set(), True), (optional, True), (set(wanted), False)):
            jobs = []
            for name, stream in sorted(wanted.items()):
                sel = self.pool.select(f"module({name}:{stream})",
                                       solv.Selection.SELECTION_PROVIDES)
                for job in sel.jobs(solv.Job.SOLVER_INSTALL):
                    job.how |= solv.Job.SOLVER_FORCEBEST if best else 0
                    job.how |= solv.Job.SOLVER_WEAK if name in weak else 0
                    jobs.append(job)
            solver = self.pool.Solver()
            solver.set_flag(solv.Solver.SOLVER_FLAG_IGNORE_RECOMMENDED, 1)
            if not solver.solve(jobs):
                new = solver.transaction().newsolvables()
                return [self.streams[self.ids[s.id]] for s in new if s.id in self.ids]
        return []


# ---------------------------------------------------------------- the platform


def platform_from_pool(pool: solv.Pool, usable: set[int]) -> str | None:
    """``platform:elN`` from the ``base-module(...)`` provide of the newest
    ``system-release`` available (else installed), as libdnf detects it."""
    installed = pool.installed
    sel = pool.select("system-release", solv.Selection.SELECTION_NAME)
    found = [s for s in sel.solvables() if s.id in usable]
    for group in ([s for s in found if s.repo != installed],
                  [s for s in found if s.repo == installed]):
        newest = _newest(group)
        names = {m[1] for s in newest for d in s.lookup_deparray(solv.SOLVABLE_PROVIDES)
                 if (m := _PLATFORM_PROVIDE.match(str(d)))}
        if len(names) == 1:
            return names.pop()
    return None


def _newest(solvables: list[solv.XSolvable]) -> list[solv.XSolvable]:
    best: dict[str, solv.XSolvable] = {}
    for s in solvables:
        current = best.get(s.arch)
        if current is None or s.evrcmp(current) > 0:
            best[s.arch] = s
    return list(best.values())


def platform_from_os_release(root: Path | None) -> str | None:
    """PLATFORM_ID of os-release (under ``root``), as libdnf reads it last."""
    base = root or Path("/")
    for rel in ("etc/os-release", "usr/lib/os-release"):
        try:
            text = (base / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "PLATFORM_ID":
                value = value.strip().strip("\"'")
                return value if ":" in value else None
    return None


# ---------------------------------------------------------------- hiding


def hide_packages(pool: solv.Pool, state: ModuleState, usable: set[int],
                  hideable: set[int]) -> None:
    """Fill ``state.hidden`` (and each stream's share) with the usable packages among
    ``hideable`` (ids: those of repositories that module filtering applies to) that
    dnf would exclude. Needs whatprovides over the whole pool."""
    streams = state.metadata.streams
    index = _ArtifactIndex(pool, {a for m in streams for a in m.artifacts})
    artifacts = [index.ids(m.artifacts) for m in streams]
    include: set[int] = set().union(*(artifacts[i] for i in state.active))
    modular: set[int] = set().union(*artifacts)
    candidates = (hideable & usable) - include
    for i, m in enumerate(streams):
        if i in state.active:
            ids = candidates.intersection(*[index.providers(m.artifacts)])
            share = ids - modular  # other streams' artifacts count for those streams
        else:
            ids = share = candidates & artifacts[i]
        state.hides.setdefault((m.name, m.stream), set()).update(share)
        state.hidden |= ids


class _ArtifactIndex:
    """Artifact NEVRAs matched to solvables, and artifact names to the packages that are
    named so or provide the name: each name's providers looked up once, NEVRAs then
    matched as strings (CentOS Stream 9 lists about 20,000 artifacts)."""

    def __init__(self, pool: solv.Pool, nevras: set[str]) -> None:
        parsed = {n: p for n in nevras if (p := parse_nevra(n)) is not None}
        # An artifact as libsolv spells the NEVRA (no epoch when it is 0).
        self.spelled = {n: f"{p[0]}-{p[1]}:{p[2]}-{p[3]}.{p[4]}" if p[1]
                        else f"{p[0]}-{p[2]}-{p[3]}.{p[4]}" for n, p in parsed.items()}
        self.names = {n: p[0] for n, p in parsed.items()}
        self.by_name: dict[str, list[int]] = {}
        self.by_nevra: dict[str, list[int]] = {}
        lookup, id2str = pool.lookup_id, pool.id2str
        for name in sorted(set(self.names.values())):
            name_id = pool.str2id(name, False)
            found = [s.id for s in pool.whatprovides(solv.Dep(pool, name_id))] if name_id else []
            self.by_name[name] = found
            for i in found:
                if lookup(i, solv.SOLVABLE_NAME) == name_id:
                    evr = id2str(lookup(i, solv.SOLVABLE_EVR))
                    arch = id2str(lookup(i, solv.SOLVABLE_ARCH))
                    self.by_nevra.setdefault(f"{name}-{evr}.{arch}", []).append(i)

    def ids(self, nevras: Iterable[str]) -> set[int]:
        """The solvables whose NEVRA is one of ``nevras`` (epoch 0 the same as none)."""
        return {i for n in nevras if n in self.spelled
                for i in self.by_nevra.get(self.spelled[n], ())}

    def providers(self, nevras: Iterable[str]) -> set[int]:
        """Packages named as one of ``nevras``, or providing one of their names."""
        names = {self.names[n] for n in nevras if n in self.names}
        return {i for name in names for i in self.by_name.get(name, ())}


# ---------------------------------------------------------------- the pool


def filter_modules(pool: solv.Pool, repos: list[RepomdRepo], usable: set[int],
                   choices: ModuleChoices, arch: str) -> ModuleState | None:
    """Read the repositories' modules.yaml, choose the active streams and take what dnf
    hides out of ``usable``; None when no repository has module metadata."""
    metadata = ModuleMetadata()
    for repo in repos:
        part = read_repo_modules(repo)
        if part is not None:
            metadata.streams += part.streams
            metadata.defaults += part.defaults
    if not metadata:
        if choices.enabled or choices.roots:
            raise SourceError(f"{choices.first()}: the sources have no module metadata "
                              "(no repository has a modules record)")
        return None
    pool.createwhatprovides()  # over every package: the considered set comes later
    platform = (choices.platform or platform_from_pool(pool, usable)
                or platform_from_os_release(choices.root))
    state = choose_streams(metadata, choices, arch, platform)
    skip = set(choices.hotfix_repos)
    hideable = {i for r in repos if r.repo.name not in skip for i in _repo_ids(r.repo)}
    hide_packages(pool, state, usable, hideable)
    usable -= state.hidden
    return state


def read_repo_modules(repo: RepomdRepo) -> ModuleMetadata | None:
    """``repo``'s modules.yaml parsed, or None when it has none. With a cache, the parse
    is kept next to the .solv files of that repomd.xml, and read back in later runs
    (marshal reads it back far faster than libyaml parses it; benchmarks/README.md)."""
    if "modules" not in repo.files:
        return None
    cache = repo.cache
    path = (cache.cached.metadata(cache.key) / "modules.marshal"
            if cache is not None and cache.key else None)
    if path is not None and cache is not None and not cache.refresh:
        found = _cached_metadata(path, repo.repo.name)
        if found is not None:
            return found
    data = repo.read_record("modules")
    if data is None:
        return None
    found = parse_modules_yaml(data, f"{repo.store.label}: modules.yaml", repo.repo.name)
    if path is not None and cache is not None:
        from rpmgraph.sources.cache import atomic_write_bytes

        streams = [(m.name, m.stream, m.version, m.context, m.arch, m.artifacts, m.profiles,
                    m.requires) for m in found.streams]
        defaults = [(d.module, d.stream, d.profiles) for d in found.defaults]
        try:
            with cache.locked():
                atomic_write_bytes(path, marshal.dumps((_CACHE_FORMAT, streams, defaults)))
        except OSError as exc:
            cache.warn(f"cannot write to the cache {path.parent}: {exc}")
    return found


def _cached_metadata(path: Path, repo: str) -> ModuleMetadata | None:
    """What ``read_repo_modules`` stored; None when it is missing or not of this format."""
    try:
        fmt, streams, defaults = marshal.loads(path.read_bytes())
        if fmt != _CACHE_FORMAT:
            return None
        return ModuleMetadata(
            streams=[ModuleStream(n, s, v, c, a, arts, profiles, requires, repo)
                     for n, s, v, c, a, arts, profiles, requires in streams],
            defaults=[ModuleDefaults(m, s, profiles, repo) for m, s, profiles in defaults])
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _repo_ids(repo: solv.Repo) -> Iterable[int]:
    """The solvable ids of ``repo``: a range when they are contiguous (as loaded)."""
    first = next(iter(repo.solvables_iter()), None)
    if first is None:
        return ()
    if repo.iscontiguous():
        return range(first.id, first.id + repo.nsolvables)
    return [s.id for s in repo.solvables_iter()]


# ---------------------------------------------------------------- roots


def module_root_names(state: ModuleState | None, spec: str) -> list[str] | None:
    """The package names a root ``@NAME:STREAM`` or ``@NAME:STREAM/PROFILE`` installs
    (the stream's default profiles when none is named), as ``dnf install`` reads it;
    None when ``spec`` is not such a root."""
    if not spec.startswith("@") or ":" not in spec:
        return None
    try:
        name, stream, profile = parse_module_spec(spec)
    except ValueError as exc:
        raise RootError(str(exc)) from None
    if state is None or not any(m.name == name and m.stream == stream
                                for m in state.metadata.streams):
        metadata = state.metadata if state is not None else ModuleMetadata()
        raise RootError(f"no module stream {name}:{stream} in the sources"
                        f"{_known_streams(metadata, name)}")
    chosen = state.chosen.get((name, stream))
    if chosen is None:
        raise RootError(f"module stream {name}:{stream} is not active "
                        f"({state.reason((name, stream), False)})")
    available = [p for p, _ in chosen.profiles]
    wanted = [profile] if profile else list(state.default_profiles.get((name, stream), ()))
    if not wanted:
        raise RootError(f"module stream {name}:{stream} has no default profile; name one "
                        f"as @{name}:{stream}/PROFILE ({_profiles_text(available)})")
    names: set[str] = set()
    for p in wanted:
        rpms = chosen.profile(p)
        if rpms is None:
            raise RootError(f"module stream {name}:{stream} has no profile {p!r} "
                            f"({_profiles_text(available)})")
        names.update(rpms)
    return sorted(names)


def expand_module_roots(state: ModuleState | None, specs: list[str]) -> list[str]:
    """``specs`` with each ``@NAME:STREAM[/PROFILE]`` replaced by its profile's names."""
    expanded: list[str] = []
    for spec in specs:
        names = module_root_names(state, spec)
        expanded += [spec] if names is None else names
    return expanded


def hidden_hint(state: ModuleState | None, pool: solv.Pool, spec: str) -> str:
    """Why a root that matches nothing is hidden by module filtering, if it is: a name,
    glob or NEVRA of a hidden package; "" otherwise."""
    import fnmatch

    if state is None:
        return ""
    for key, ids in sorted(state.hides.items()):
        for i in sorted(ids):
            s = pool.id2solvable(i)
            if any(fnmatch.fnmatchcase(text, spec) for text in (s.name, str(s))):
                return f"; {s} is hidden by module filtering: {_why_hidden(state, key)}"
    return ""


def _why_hidden(state: ModuleState, key: tuple[str, str]) -> str:
    name, stream = key
    if key in state.chosen:
        return (f"module stream {name}:{stream} is active ({state.reason(key, True)}) "
                "and replaces it")
    return (f"module stream {name}:{stream} is not active ({state.reason(key, False)}); "
            f"--module {name}:{stream} enables it")


def _profiles_text(profiles: list[str]) -> str:
    return f"profiles: {', '.join(sorted(profiles))}" if profiles else "it has no profiles"


def root_streams(specs: Iterable[str]) -> list[str]:
    """``NAME:STREAM`` of every root ``@NAME:STREAM[/PROFILE]``: streams to enable."""
    found: list[str] = []
    for spec in specs:
        if spec.startswith("@") and ":" in spec:
            try:
                name, stream, _ = parse_module_spec(spec)
            except ValueError as exc:
                raise RootError(str(exc)) from None
            found.append(f"{name}:{stream}")
    return found
