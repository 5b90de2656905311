"""Domain types shared along the pipeline: packages, dependency kinds, dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """Dependency kinds, strongest first; the order is used to pick an edge's main kind."""

    PREREQUIRES = "pre-requires"
    REQUIRES = "requires"
    RECOMMENDS = "recommends"
    SUGGESTS = "suggests"
    SUPPLEMENTS = "supplements"
    ENHANCES = "enhances"
    # A source package's BuildRequires, drawn from it to the binary packages that satisfy
    # them (rpmgraph builddep); not a kind the binary packages' graphs follow.
    BUILDREQUIRES = "buildrequires"

    @property
    def weak(self) -> bool:
        return self not in (Kind.PREREQUIRES, Kind.REQUIRES, Kind.BUILDREQUIRES)

    @property
    def reverse(self) -> bool:
        """Supplements and Enhances are declared by the package that gets pulled in."""
        return self in (Kind.SUPPLEMENTS, Kind.ENHANCES)

    @classmethod
    def parse_list(cls, text: str) -> frozenset[Kind]:
        """Parse ``requires,recommends``; ``requires`` includes ``pre-requires``."""
        kinds: set[Kind] = set()
        for word in (w.strip() for w in text.split(",")):
            if not word:
                continue
            try:
                kind = cls(word)
            except ValueError:
                kind = Kind.BUILDREQUIRES
            if kind is Kind.BUILDREQUIRES:
                names = ", ".join(k.value for k in cls if k is not Kind.BUILDREQUIRES)
                hint = ("; source packages' buildrequires: see 'rpmgraph builddep', "
                        "'rpmgraph rebuilds' and 'tree --reverse --kinds buildrequires'"
                        if word == kind.value else "")
                message = f"unknown dependency kind {word!r} (choose from {names}){hint}"
                raise ValueError(message)
            kinds.add(kind)
            if kind is Kind.REQUIRES:
                kinds.add(Kind.PREREQUIRES)
        return frozenset(kinds)


KIND_ORDER: dict[Kind, int] = {kind: i for i, kind in enumerate(Kind)}


def format_nevra(name: str, epoch: int, version: str, release: str, arch: str) -> str:
    """``name-[epoch:]version-release.arch``, the epoch only when it is not 0 (as dnf prints it)."""
    evr = f"{epoch}:{version}-{release}" if epoch else f"{version}-{release}"
    return f"{name}-{evr}.{arch}"


@dataclass(frozen=True, slots=True)
class Package:
    """One package as the graph sees it; raw libsolv objects stay in the pool module."""

    name: str
    epoch: int
    version: str
    release: str
    arch: str
    repo: str
    installsize: int
    downloadsize: int
    sourcerpm: str
    summary: str

    @property
    def nevra(self) -> str:
        return format_nevra(self.name, self.epoch, self.version, self.release, self.arch)

    @property
    def evr(self) -> str:
        return f"{self.epoch}:{self.version}-{self.release}" if self.epoch else (
            f"{self.version}-{self.release}"
        )


@dataclass(frozen=True, slots=True, order=True)
class Dependency:
    """A capability one package asks for, with the kind of dependency it is."""

    kind: Kind
    capability: str

    def sort_key(self) -> tuple[int, str]:
        return (KIND_ORDER[self.kind], self.capability)


class Policy(str, Enum):
    INSTALL = "install"
    ALL = "all"


DEFAULT_KINDS = {
    # Supplements too: dnf installs what supplements the set, and the edge shows why.
    Policy.INSTALL: frozenset({Kind.PREREQUIRES, Kind.REQUIRES, Kind.RECOMMENDS,
                               Kind.SUPPLEMENTS}),
    Policy.ALL: frozenset({Kind.PREREQUIRES, Kind.REQUIRES}),
}


@dataclass(frozen=True, slots=True)
class ResolveOptions:
    policy: Policy = Policy.INSTALL
    kinds: frozenset[Kind] | None = None  # None: the policy's default
    weak: bool = True  # install policy: install Recommends/Supplements as dnf does
    all_versions: bool = False  # all policy: older builds count as providers too
    show_alternatives: bool = False  # install policy: also draw providers not picked
    best: bool = True  # install policy: the best candidate or nothing (dnf5, RHEL), not
    # the best that can be installed (--nobest, dnf 4's built-in default)

    def kinds_for(self, policy: Policy) -> frozenset[Kind]:
        kinds = self.kinds if self.kinds is not None else DEFAULT_KINDS[policy]
        if policy is Policy.INSTALL and not self.weak:
            kinds = frozenset(k for k in kinds if not k.weak)
        return kinds
