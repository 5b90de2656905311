"""Comps: the groups and environments of rpm-md repositories (the ``group`` record).

Parsed with the hardened XML parser that reads repomd.xml (defusedxml: no entity
expansion), into frozen records; several repositories' comps merge as libcomps merges
them for dnf: the same group id is one group, whose packages are the union of the
repositories' lists (a package listed twice takes the later repository's type) and
whose name is the later one's. Which packages a group or environment root stands for
follows dnf 4's ``dnf install @SPEC`` (checked against it in the tests):

- ``@SPEC`` matches groups and environments by id or name: exactly, else as a glob
  without regard to case; ``@^SPEC`` (dnf 5's form) matches environments only;
- a group installs its mandatory and default packages, the optional ones only when
  asked (``--with-optional``), and each conditional package when the package named by
  its ``requires`` is installed too (the solver decides that: see rpmgraph.grouproots);
- an environment installs the groups of its ``grouplist``; the groups of its
  ``optionlist`` are offered, not installed, whether marked default or not.
"""

from __future__ import annotations

import fnmatch
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from rpmgraph.errors import RootError, SourceError

if TYPE_CHECKING:
    from rpmgraph.pool import LoadedPool
    from rpmgraph.sources.repomd import RepomdRepo

_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_BYTES = 64 << 20  # Fedora's comps, every translation included, is about 10 MB
MAX_ITEMS = 50_000  # groups plus environments of one repository
MAX_ENTRIES = 100_000  # packages of one group, or groups of one environment
MAX_TEXT = 1_000  # characters of an id, a name or a package name


class PackageType(str, Enum):
    MANDATORY = "mandatory"
    DEFAULT = "default"
    OPTIONAL = "optional"
    CONDITIONAL = "conditional"


# What libcomps reads from a packagereq's type attribute; an absent one is mandatory, and
# packages of a type it does not know are never installed (left out here).
_TYPES = {t.value: t for t in PackageType}


@dataclass(frozen=True, slots=True)
class GroupPackage:
    name: str
    type: PackageType
    requires: str | None = None  # conditional packages: installed along with this one


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str
    packages: tuple[GroupPackage, ...] = ()

    def of_type(self, kind: PackageType) -> list[GroupPackage]:
        return [p for p in self.packages if p.type is kind]

    @property
    def mandatory(self) -> list[GroupPackage]:
        return self.of_type(PackageType.MANDATORY)

    @property
    def default(self) -> list[GroupPackage]:
        return self.of_type(PackageType.DEFAULT)

    @property
    def optional(self) -> list[GroupPackage]:
        return self.of_type(PackageType.OPTIONAL)

    @property
    def conditional(self) -> list[GroupPackage]:
        return self.of_type(PackageType.CONDITIONAL)


@dataclass(frozen=True, slots=True)
class EnvironmentOption:
    group: str
    default: bool = False


@dataclass(frozen=True, slots=True)
class Environment:
    id: str
    name: str
    grouplist: tuple[str, ...] = ()
    optionlist: tuple[EnvironmentOption, ...] = ()


_Item = TypeVar("_Item", "Group", "Environment")


@dataclass(frozen=True, slots=True)
class Selection:
    """What a group root stands for: package names to install, and conditional packages
    (name, the package whose installation brings it) for the solver to decide."""

    spec: str
    names: tuple[str, ...]
    conditional: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Comps:
    """The merged comps of the sources, groups and environments sorted by id."""

    groups: tuple[Group, ...] = ()
    environments: tuple[Environment, ...] = ()

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def find(self, spec: str) -> tuple[list[Environment], list[Group]]:
        """The environments and groups that ``@spec`` installs (``spec`` without the @):
        dnf's matching, exact id or name first, else a case-insensitive glob."""
        if spec.startswith("^"):
            return _by_pattern(spec[1:], self.environments), []
        return _by_pattern(spec, self.environments), _by_pattern(spec, self.groups)

    def select(self, spec: str, with_optional: bool = False) -> Selection:
        """The packages of group root ``spec`` (``@ID``, ``@NAME``, ``@^ENV``)."""
        environments, groups = self.find(spec[1:])
        if not environments and not groups:
            raise RootError(self._unknown_message(spec))
        chosen = [self.group(gid) for env in environments for gid in env.grouplist]
        chosen += groups
        types = {PackageType.MANDATORY, PackageType.DEFAULT}
        if with_optional:
            types.add(PackageType.OPTIONAL)
        names: dict[str, None] = {}
        conditional: dict[tuple[str, str], None] = {}
        for group in filter(None, chosen):  # an environment may name a group nobody has
            for package in group.packages:
                if package.type in types:
                    names[package.name] = None
                elif package.type is PackageType.CONDITIONAL and package.requires:
                    conditional[(package.name, package.requires)] = None
        return Selection(spec, tuple(names), tuple(conditional))

    def _unknown_message(self, spec: str) -> str:
        import difflib

        if not self.groups and not self.environments:
            return (f"no group or environment matches {spec!r}: the sources have no comps "
                    "(group) metadata")
        ids = sorted({env.id for env in self.environments}.union(
            () if spec.startswith("@^") else (g.id for g in self.groups)))
        close = difflib.get_close_matches(spec.lstrip("@^"), ids, n=3, cutoff=0.6)
        hint = (f"; did you mean {', '.join(close)}?" if close
                else "; 'rpmgraph groups' lists them")
        what = "environment" if spec.startswith("@^") else "group or environment"
        return f"no {what} matches {spec!r} in the comps of the sources{hint}"


def is_group_spec(spec: str) -> bool:
    """``@GROUP`` or ``@^ENVIRONMENT``; ``@NAME:STREAM`` is a module stream instead."""
    return spec.startswith("@") and ":" not in spec and len(spec) > 1


def _by_pattern(pattern: str, items: tuple[_Item, ...]) -> list[_Item]:
    exact = [i for i in items if pattern in (i.id, i.name)]
    if exact:
        return exact
    match = re.compile(fnmatch.translate(pattern), re.IGNORECASE).match
    return [i for i in items if match(i.id) or match(i.name)]


# ---------------------------------------------------------------- reading


def parse_comps(data: bytes, label: str) -> Comps:
    """One comps.xml document; ``label`` names it in errors."""
    try:
        root = fromstring(data)
    except ET.ParseError as exc:
        raise SourceError(f"{label} is not valid comps XML: {exc}") from None
    except DefusedXmlException as exc:
        raise SourceError(f"{label} declares XML entities, which are refused "
                          f"in untrusted metadata: {exc}") from None
    if root.tag != "comps":
        raise SourceError(f"{label} is not comps XML: its root element is <{root.tag}>, "
                          "not <comps>")
    groups = list(_limited(root.iterfind("group"), MAX_ITEMS, label, "groups"))
    environments = list(_limited(root.iterfind("environment"), MAX_ITEMS, label,
                                 "environments"))
    return merge([Comps(tuple(_group(g, label) for g in groups),
                        tuple(_environment(e, label) for e in environments))])


def _limited(elems: Iterator[ET.Element], limit: int, label: str, what: str,
             ) -> Iterator[ET.Element]:
    for n, elem in enumerate(elems):
        if n >= limit:
            raise SourceError(f"{label} has more than {limit} {what}; refusing it")
        yield elem


def _text(elem: ET.Element | None, label: str, what: str, required: bool = True) -> str:
    text = _clean(elem.text or "" if elem is not None else "", label, what)
    if required and not text:
        raise SourceError(f"{label} has a {what} without a value")
    return text


def _clean(raw: str, label: str, what: str) -> str:
    """Whitespace folded; bounded and printable, as a one-line message can quote it."""
    text = " ".join(raw.split())
    if len(text) > MAX_TEXT or not text.isprintable():
        raise SourceError(f"{label} has a {what} that is too long or holds control "
                          f"characters: {text[:60]!r}")
    return text


def _name(elem: ET.Element, label: str, fallback: str) -> str:
    """The untranslated ``<name>`` (no xml:lang), else the id."""
    plain = next((n for n in elem.iterfind("name") if n.get(_LANG) is None), None)
    return _text(plain, label, "name", required=False) or fallback


def _group(elem: ET.Element, label: str) -> Group:
    gid = _text(elem.find("id"), label, "group id")
    where = f"{label} group {gid}"
    packages = []
    for req in _limited(elem.iterfind("packagelist/packagereq"), MAX_ENTRIES, where,
                        "packages"):
        kind = _TYPES.get(req.get("type", "mandatory"))
        requires = _clean(req.get("requires", ""), where, "requires attribute")
        name = _text(req, where, "package name")
        if kind is not None:
            packages.append(GroupPackage(name, kind, requires or None))
    return Group(gid, _name(elem, where, gid), tuple(packages))


def _environment(elem: ET.Element, label: str) -> Environment:
    eid = _text(elem.find("id"), label, "environment id")
    where = f"{label} environment {eid}"
    grouplist = tuple(_text(g, where, "group id") for g in _limited(
        elem.iterfind("grouplist/groupid"), MAX_ENTRIES, where, "groups"))
    options = tuple(
        EnvironmentOption(_text(g, where, "group id"), g.get("default", "") == "true")
        for g in _limited(elem.iterfind("optionlist/groupid"), MAX_ENTRIES, where, "groups"))
    return Environment(eid, _name(elem, where, eid), grouplist, options)


def merge(parts: Iterable[Comps]) -> Comps:
    """Several repositories' comps as one, in the order given (libcomps' union)."""
    groups: dict[str, Group] = {}
    environments: dict[str, Environment] = {}
    for comps in parts:
        for group in comps.groups:
            old = groups.get(group.id)
            groups[group.id] = group if old is None else Group(
                group.id, group.name, _union(old.packages, group.packages))
        for env in comps.environments:
            prev = environments.get(env.id)
            environments[env.id] = env if prev is None else Environment(
                env.id, env.name, tuple(dict.fromkeys(prev.grouplist + env.grouplist)),
                tuple({o.group: o for o in prev.optionlist + env.optionlist}.values()))
    return Comps(tuple(groups[k] for k in sorted(groups)),
                 tuple(environments[k] for k in sorted(environments)))


def _union(first: tuple[GroupPackage, ...], later: tuple[GroupPackage, ...],
           ) -> tuple[GroupPackage, ...]:
    """A package listed by both keeps its place and takes the later entry (libcomps)."""
    by_name = {p.name: p for p in first}
    by_name.update((p.name, p) for p in later)
    return tuple(by_name.values())


def read_comps(repos: Iterable[RepomdRepo]) -> Comps:
    """The merged comps of the repositories that have a ``group_gz`` or ``group`` record."""
    parts = []
    for repo in repos:
        data = repo.read_record("group_gz", "group", limit=MAX_BYTES)
        if data is not None:
            label = f"{repo.store.label.rstrip('/')} comps (group metadata)"
            parts.append(parse_comps(data, label))
    return merge(parts)


_last: list[tuple[LoadedPool, Comps]] = []  # the run's pool and its comps, read once


def comps_of(loaded: LoadedPool) -> Comps:
    """The comps of the pool's repositories, read on first use and kept for the pool."""
    if not _last or _last[0][0] is not loaded:
        _last[:] = [(loaded, read_comps(loaded.repomd))]
    return _last[0][1]


def comps_root_names(loaded_or_comps: LoadedPool | Comps, spec: str,
                     with_optional: bool = False) -> list[str] | None:
    """The package names ``dnf install SPEC`` installs for a group or environment root,
    None when ``spec`` is not one. Conditional packages count here when the package they
    depend on is among the names; rpmgraph.grouproots asks the solver instead."""
    if not is_group_spec(spec):
        return None
    comps = loaded_or_comps if isinstance(loaded_or_comps, Comps) else comps_of(
        loaded_or_comps)
    selection = comps.select(spec, with_optional)
    names = list(selection.names)
    names += [name for name, needs in selection.conditional if needs in selection.names]
    return list(dict.fromkeys(names))
