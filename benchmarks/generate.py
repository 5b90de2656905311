#!/usr/bin/env python3
"""Write a synthetic, distribution-scale rpm-md repository (metadata only, no rpms).

    python3 benchmarks/generate.py [--packages 70000] [--seed 1] [--xz]
                                   [--shape full|realistic] OUT_DIR

The repository is shaped like a real distribution, so that resolving in it costs
what resolving in Fedora's Everything repository costs:

* a small popular core (glibc, bash, coreutils, openssl-libs, python3, ...) that
  almost every package leans on, with a few dependency cycles inside it;
* shared libraries providing and requiring sonames with ``()(64bit)``;
* Python modules (noarch) providing ``python3dist(x)`` / ``python3.12dist(x)`` and
  requiring ``python(abi) = 3.12`` and versioned ``python3dist(y) >= v``;
* executables listed in primary.xml (``/usr/bin``, ``/usr/sbin``, ``/etc``) and
  file dependencies (``/usr/libexec/...``, ``/usr/share/...``) that only the
  full file lists in filelists.xml satisfy;
* versioned and epoch'd dependencies, two builds of some packages, rich
  dependencies (``if``, ``or``, ``with``, ``and``), Recommends, Suggests,
  Supplements, capabilities with several providers (``webserver``, ``mta``,
  ``libblas.so.3()(64bit)``), and a few dependencies nothing provides;
* the rest of the packages in source-package families (``foo``, ``foo-libs``,
  ``foo-devel``, ``foo-doc``) grouped into clusters that depend on each other
  only within the cluster, on their ecosystem's common packages and on the core,
  so that closures stay a few hundred packages, as in a real distribution;
* about a thousand ``openstack-<project>-<service>`` packages over a shared pool
  of OpenStack Python libraries, each with a closure of a few hundred packages.

Two shapes of the same packages (``--shape``):

* ``full`` (the default): every package lists a few files in filelists.xml beyond the
  ones primary.xml names (libraries, man pages, helpers, data);
* ``realistic``: most packages list in filelists.xml only what primary.xml names (issue
  18's reading of real Fedora and CentOS repositories, not checked here against one:
  compare a real repository's filelists with its primary before relying on it): a
  package keeps its other files only when some dependency names one of them (so every
  dependency resolves as in ``full`` and the graphs are the same) or when it is one of
  the few (``REALISTIC_KEEP``, chosen by the seed) that keep them all. primary.xml and
  other.xml are byte-identical to ``full``'s.

The XML is written as text (not through rpmbuild or createrepo_c) and gzip'd with
a zero mtime, so the same ``--packages`` and ``--seed`` give byte-identical files.
Stdlib only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import lzma
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

DIST = "fc40"
PYABI = "3.12"
TIMESTAMP = 1700000000
# Operators of versioned dependencies, as rpm-md flags.
_OPS = {">=": "GE", "=": "EQ", ">": "GT", "<": "LT", "<=": "LE"}
_SYLLABLE_TEXT = ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ha he "
              "hi ho ja je ji jo ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu "
              "pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za "
              "ze zi zo xa xe xi yo")
_SYLLABLES = _SYLLABLE_TEXT.split()
SHAPES = ("full", "realistic")
#: realistic shape: the share of packages that keep every file of their file lists.
REALISTIC_KEEP = 0.1
_SERVICES = ("api", "scheduler", "conductor", "compute", "agent", "engine", "worker",
             "manager", "proxy", "volume", "backup", "notifier", "listener", "monitor")


# ---------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Dep:
    """One capability entry: a name, optionally with an operator and an EVR."""

    name: str
    op: str = ""
    epoch: int | None = None
    ver: str = ""
    rel: str = ""
    pre: bool = False


@dataclass(slots=True)
class Pkg:
    name: str
    version: str
    release: str
    arch: str = "x86_64"
    epoch: int = 0
    srpm: str = ""
    summary: str = ""
    provides: list[Dep] = field(default_factory=list)
    requires: list[Dep] = field(default_factory=list)
    recommends: list[Dep] = field(default_factory=list)
    suggests: list[Dep] = field(default_factory=list)
    supplements: list[Dep] = field(default_factory=list)
    enhances: list[Dep] = field(default_factory=list)
    primary_files: list[str] = field(default_factory=list)  # also in filelists
    other_files: list[str] = field(default_factory=list)  # only in filelists
    size: int = 0

    @property
    def evr(self) -> str:
        return f"{self.epoch}:{self.version}-{self.release}"

    @property
    def pkgid(self) -> str:
        return hashlib.sha256(f"{self.name}-{self.evr}.{self.arch}".encode()).hexdigest()

    def self_provide(self) -> Dep:
        return Dep(self.name, "=", self.epoch, self.version, self.release)


# ---------------------------------------------------------------- the distribution


class Distro:
    """Builds the package list; every random choice comes from one seeded generator."""

    def __init__(self, total: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.total = total
        self.pkgs: list[Pkg] = []
        self.names: set[str] = set()
        # Popular capabilities of the core, most popular first (Zipf-like choice).
        self.core_caps: list[Dep] = []
        self.core_files: list[str] = []  # file deps only filelists satisfy

    # -- helpers

    def word(self, parts: int = 3) -> str:
        while True:
            name = "".join(self.rng.choice(_SYLLABLES) for _ in range(parts))
            if name not in self.names:
                self.names.add(name)
                return name

    def version(self) -> str:
        r = self.rng
        return f"{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}"

    def zipf(self, items: list[Dep], k: int) -> list[Dep]:
        """k distinct items, the first ones far more likely (popularity)."""
        n = len(items)
        chosen: dict[int, None] = {}
        while len(chosen) < min(k, n):
            chosen[min(int(n * self.rng.random() ** 3), n - 1)] = None
        return [items[i] for i in chosen]

    def add(self, pkg: Pkg) -> Pkg:
        pkg.provides.insert(0, pkg.self_provide())
        pkg.srpm = pkg.srpm or f"{pkg.name}-{pkg.version}-{pkg.release}.src.rpm"
        pkg.summary = pkg.summary or f"The {pkg.name} package"
        pkg.size = pkg.size or int(self.rng.lognormvariate(12, 1.5))
        self.pkgs.append(pkg)
        return pkg

    # -- the core

    def core(self) -> None:
        """~250 base packages: glibc and friends, with sonames, cycles and shells."""
        rel = f"1.{DIST}"
        setup = self.add(Pkg("setup", "2.14.5", rel, arch="noarch",
                             primary_files=["/etc/passwd", "/etc/group"]))
        fs = self.add(Pkg("filesystem", "3.18", "9." + DIST,
                          requires=[Dep("setup")], other_files=["/usr/share/filesystem/lua"]))
        glibc_common = Pkg("glibc-common", "2.39", "5." + DIST,
                           requires=[Dep("glibc", "=", 0, "2.39", "5." + DIST)],
                           primary_files=["/usr/bin/locale", "/usr/sbin/iconvconfig"])
        glibc = Pkg("glibc", "2.39", "5." + DIST, srpm="glibc-2.39-5.fc40.src.rpm",
                    requires=[Dep("glibc-common", "=", 0, "2.39", "5." + DIST),
                              Dep("filesystem", pre=True)],
                    provides=[Dep(f"{lib}()(64bit)") for lib in
                              ("libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2",
                               "librt.so.1", "libresolv.so.2", "ld-linux-x86-64.so.2")]
                    + [Dep("libc.so.6(GLIBC_2.34)(64bit)"), Dep("rtld(GNU_HASH)")],
                    primary_files=["/usr/sbin/ldconfig", "/etc/ld.so.conf"],
                    other_files=["/usr/lib64/libc.so.6", "/usr/libexec/getconf/default"])
        glibc_common.srpm = glibc.srpm
        self.add(glibc)
        self.add(glibc_common)
        libc = [Dep("libc.so.6()(64bit)"), Dep("libc.so.6(GLIBC_2.34)(64bit)"),
                Dep("rtld(GNU_HASH)")]
        self.core_caps = libc[:1]
        bash = self.add(Pkg("bash", "5.2.26", "3." + DIST, requires=[*libc, Dep("filesystem")],
                            provides=[Dep("/bin/sh")],
                            primary_files=["/usr/bin/bash", "/usr/bin/sh", "/bin/sh"]))
        del setup, fs, bash
        named = ["zlib", "xz-libs", "bzip2-libs", "libzstd", "openssl-libs", "ncurses-libs",
                 "readline", "libgcc", "libstdc++", "pcre2", "libselinux", "libsepol",
                 "libcap", "libacl", "libattr", "audit-libs", "pam", "libxcrypt",
                 "libffi", "expat", "libxml2", "sqlite-libs", "gmp", "mpfr", "elfutils-libs",
                 "systemd-libs", "dbus-libs", "krb5-libs", "libcom_err", "keyutils-libs",
                 "libuuid", "libblkid", "libmount", "util-linux-core", "e2fsprogs-libs",
                 "lz4-libs", "libgcrypt", "libgpg-error", "gnutls", "nettle", "libtasn1",
                 "p11-kit", "ca-certificates", "libidn2", "libunistring", "libcurl",
                 "libnghttp2", "libssh", "libpsl", "openldap", "cyrus-sasl-lib", "json-c",
                 "libtirpc", "libnsl2", "gdbm-libs", "tzdata", "crypto-policies", "libsemanage",
                 "libverto", "glib2", "libeconf", "shadow-utils", "coreutils", "grep", "sed",
                 "gawk", "findutils", "procps-ng", "systemd", "dbus", "openssl", "curl",
                 "perl-libs", "perl-interpreter", "python3-libs", "python3", "libyaml",
                 "libevent", "libedit", "libnl3", "libmnl", "iproute", "kmod-libs", "libbpf"]
        named += [f"lib{self.word(2)}" for _ in range(160)]
        for i, name in enumerate(named):
            self._core_package(i, name, libc)
        self.core_caps += [Dep("/bin/sh"), Dep("/usr/bin/python3"), Dep("systemd"),
                           Dep("/usr/sbin/useradd"), Dep("coreutils"), Dep("grep")]

    def _core_package(self, i: int, name: str, libc: list[Dep]) -> None:
        r = self.rng
        lib = name.endswith("-libs") or name.startswith("lib") or name in (
            "zlib", "readline", "pcre2", "pam", "gnutls", "nettle", "glib2", "gmp", "mpfr",
            "expat", "openldap", "p11-kit")
        noarch = name in ("tzdata", "ca-certificates", "crypto-policies")
        version = "3.12.2" if name.startswith("python3") else self.version()
        pkg = Pkg(name, version, f"{r.randint(1, 9)}.{DIST}" if version != "3.12.2" else
                  f"2.{DIST}", arch="noarch" if noarch else "x86_64",
                  epoch=1 if r.random() < 0.08 and version != "3.12.2" else 0)
        if not noarch:
            pkg.requires += libc
            # earlier core packages: sonames or names, sometimes versioned
            if len(self.core_caps) > 1:
                pkg.requires += self.zipf(self.core_caps[1:], r.randint(1, 5))
        if lib:
            stem = name.removesuffix("-libs").removeprefix("lib").replace("+", "x")
            soname = Dep(f"lib{stem}.so.{r.randint(0, 9)}()(64bit)")
            pkg.provides.append(soname)
            self.core_caps.append(soname)
            pkg.other_files.append(f"/usr/lib64/lib{stem}.so.1")
        else:
            tool = f"/usr/bin/{name}"
            pkg.primary_files.append(tool)
            self.core_caps.append(Dep(name))
        helper = f"/usr/libexec/{name}/helper"
        pkg.other_files.append(helper)
        if r.random() < 0.3:
            self.core_files.append(helper)
        if name == "shadow-utils":
            pkg.primary_files.append("/usr/sbin/useradd")
        if name == "systemd":
            pkg.requires.append(Dep("dbus", pre=True))
        if name == "dbus":
            pkg.requires.append(Dep("systemd"))  # a cycle, as in Fedora
        if name == "python3":
            pkg.primary_files.append("/usr/bin/python3")
            pkg.provides += [Dep("python(abi)", "=", None, PYABI)]
            pkg.requires.append(Dep("python3-libs", "=", pkg.epoch, pkg.version, pkg.release))
        if name == "python3-libs":
            pkg.requires.append(Dep("python3", "=", pkg.epoch, pkg.version, pkg.release))
        self.add(pkg)

    def core_deps(self, n: int) -> list[Dep]:
        deps = [self.core_caps[0], *self.zipf(self.core_caps[1:], n)]
        if self.rng.random() < 0.05:
            deps.append(Dep(self.rng.choice(self.core_files)))  # only filelists satisfy it
        return deps

    # -- shared capabilities with several providers

    def alternatives(self) -> None:
        r = self.rng
        for cap, names in (("webserver", ["httpd", "nginx", "lighttpd"]),
                           ("mta", ["postfix", "exim", "sendmail", "opensmtpd"]),
                           ("libblas.so.3()(64bit)", ["blas", "openblas", "flexiblas"]),
                           ("java-headless", ["java-17-openjdk-headless",
                                              "java-21-openjdk-headless"])):
            for name in names:
                pkg = Pkg(name, self.version(), f"1.{DIST}", epoch=r.choice([0, 0, 1]),
                          provides=[Dep(cap)], requires=self.core_deps(3),
                          primary_files=[f"/usr/sbin/{name}"])
                self.add(pkg)
            self.shared_caps.append(Dep(cap))

    shared_caps: list[Dep]

    # -- families and clusters

    def family(self, stem: str, cluster: list[Dep], common: list[Dep],
               python: bool = False) -> list[Dep]:
        """One source package's binary packages; returns what others may require."""
        r = self.rng
        version, release = self.version(), f"{r.randint(1, 20)}.{DIST}"
        epoch = 1 if r.random() < 0.05 else (2 if r.random() < 0.01 else 0)
        srpm = f"{stem}-{version}-{release}.src.rpm"
        pick = [*(self.zipf(cluster, r.randint(1, 4)) if cluster else []),
                *(self.zipf(common, r.randint(0, 2)) if common else [])]
        exported: list[Dep] = []
        if python:
            mod = stem.removeprefix("python-")
            pkg = Pkg(f"python3-{mod}", version, release, arch="noarch", epoch=epoch,
                      srpm=srpm)
            pkg.provides += [Dep(f"python3dist({mod})", "=", None, version),
                             Dep(f"python{PYABI}dist({mod})", "=", None, version)]
            pkg.requires += [Dep("python(abi)", "=", None, PYABI)] + [
                self._versioned(d) for d in pick]
            pkg.other_files.append(f"/usr/lib/python{PYABI}/site-packages/{mod}/__init__.py")
            self._weak(pkg, cluster)
            self.add(pkg)
            exported.append(Dep(f"python3dist({mod})", ver=version))  # ver: for >=
            return exported
        libs = Pkg(f"{stem}-libs", version, release, epoch=epoch, srpm=srpm)
        soname = Dep(f"lib{stem}.so.{r.randint(0, 5)}()(64bit)")
        libs.provides.append(soname)
        libs.requires += self.core_deps(r.randint(1, 4)) + pick
        libs.other_files += [f"/usr/lib64/lib{stem}.so.1", f"/usr/share/{stem}/data"]
        self.add(libs)
        main = Pkg(stem, version, release, epoch=epoch, srpm=srpm)
        main.requires += [soname, Dep(libs.name, "=", epoch, version, release)]
        main.requires += self.core_deps(r.randint(0, 3))
        main.primary_files.append(f"/usr/bin/{stem}")
        main.other_files += [f"/usr/share/man/man1/{stem}.1.gz", f"/usr/libexec/{stem}/run"]
        self._weak(main, cluster)
        self.add(main)
        exported += [soname, Dep(stem), Dep(f"/usr/share/{stem}/data")]
        if r.random() < 0.4:
            devel = Pkg(f"{stem}-devel", version, release, epoch=epoch, srpm=srpm)
            devel.requires += [Dep(libs.name, "=", epoch, version, release),
                               Dep("pkgconfig")]
            devel.provides.append(Dep(f"pkgconfig({stem})", "=", None, version))
            self.add(devel)
        if r.random() < 0.2:
            doc = Pkg(f"{stem}-doc", version, release, arch="noarch", srpm=srpm)
            doc.supplements.append(Dep(f"({stem} and man-db)"))
            doc.enhances.append(Dep(stem))
            self.add(doc)
        if r.random() < 0.03:  # an older build still in the repository
            old = Pkg(stem, version, f"0.{release}", epoch=epoch, srpm=srpm,
                      requires=list(main.requires), primary_files=list(main.primary_files))
            self.add(old)
        return exported

    def _versioned(self, dep: Dep) -> Dep:
        if dep.ver and not dep.op and self.rng.random() < 0.3:
            return Dep(dep.name, ">=", None, dep.ver.rsplit(".", 1)[0])
        return Dep(dep.name) if not dep.op else dep

    def _weak(self, pkg: Pkg, cluster: list[Dep]) -> None:
        r = self.rng
        if cluster and r.random() < 0.12:
            pkg.recommends.append(r.choice(cluster))
        if cluster and r.random() < 0.05:
            pkg.suggests.append(r.choice(cluster))
        if r.random() < 0.02:
            pkg.requires.append(r.choice(self.shared_caps))
        if r.random() < 0.02 and cluster:
            a, b = r.choice(cluster), r.choice(cluster)
            pkg.requires.append(Dep(f"({a.name} if {b.name})"))
        if r.random() < 0.01:
            pkg.requires.append(Dep("(nginx or httpd)"))
        if r.random() < 0.005:
            cap = r.choice(self.core_caps[:20])
            pkg.requires.append(Dep(f"({cap.name} >= 0.1 with {cap.name} < 99)"))
        if r.random() < 0.0005:
            pkg.requires.append(Dep(f"unavailable-{self.word(2)}"))

    def cluster(self, size: int, common: list[Dep], python: bool) -> list[Dep]:
        exported: list[Dep] = []
        while len(exported) < size and len(self.pkgs) < self.target:
            stem = self.word()
            stem = f"python-{stem}" if python else stem
            exported += self.family(stem, exported[-40:], common, python)
        return exported

    # -- OpenStack

    def openstack(self, services: int) -> None:
        """Projects with a python3 library and ~10 services each over shared oslo libs."""
        r = self.rng
        oslo: list[Dep] = []
        for _ in range(300):
            oslo += self.family(f"python-oslo-{self.word(2)}", oslo[-60:], self.py_common,
                                python=True)
        made = 0
        while made < services:
            project = self.word(2)
            lib = self.family(f"python-{project}", self.zipf(oslo, 15), self.py_common,
                              python=True)
            version = f"{r.randint(2012, 2024)}.{r.randint(1, 2)}"
            common = self.add(Pkg(f"openstack-{project}-common", version, f"1.{DIST}",
                                  arch="noarch", requires=[*lib, Dep("/usr/sbin/useradd",
                                                                     pre=True)]))
            for service in r.sample(_SERVICES, r.randint(6, 12)):
                self.add(Pkg(f"openstack-{project}-{service}", version, f"1.{DIST}",
                             arch="noarch", srpm=common.srpm,
                             requires=[Dep(common.name, "=", 0, version, common.release),
                                       Dep("systemd", pre=True), *self.zipf(oslo, 3)],
                             primary_files=[f"/usr/bin/{project}-{service}"]))
                made += 1

    # -- all of it

    def build(self) -> list[Pkg]:
        self.shared_caps = []
        self.target = self.total
        self.core()
        self.add(Pkg("pkgconfig", "2.1.0", f"1.{DIST}", requires=self.core_deps(1)))
        self.add(Pkg("man-db", "2.12.0", f"1.{DIST}", requires=self.core_deps(2)))
        self.alternatives()
        self.py_common = self.cluster(120, [], python=True)
        self.openstack(services=max(20, min(1000, self.total // 70)))
        self.c_common = self.cluster(150, [], python=False)
        while len(self.pkgs) < self.total:
            python = self.rng.random() < 0.3
            common = self.py_common if python else self.c_common
            self.cluster(self.rng.randint(40, 220), common, python)
        return self.pkgs

    py_common: list[Dep]
    c_common: list[Dep]
    target: int


# ---------------------------------------------------------------- XML text


def _entry(dep: Dep) -> str:
    attrs = f"name={quoteattr(dep.name)}"
    if dep.op:
        attrs += f' flags="{_OPS[dep.op]}"'
        if dep.epoch is not None:
            attrs += f' epoch="{dep.epoch}"'
        attrs += f" ver={quoteattr(dep.ver)}"
        if dep.rel:
            attrs += f" rel={quoteattr(dep.rel)}"
    if dep.pre:
        attrs += ' pre="1"'
    return f"<rpm:entry {attrs}/>"


def _deps(tag: str, deps: list[Dep]) -> str:
    if not deps:
        return ""
    return f"<rpm:{tag}>" + "".join(_entry(d) for d in deps) + f"</rpm:{tag}>\n"


def _version(p: Pkg) -> str:
    return f'<version epoch="{p.epoch}" ver="{p.version}" rel="{p.release}"/>'


def primary(pkgs: list[Pkg]) -> Iterator[str]:
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/'
           'metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" '
           f'packages="{len(pkgs)}">\n')
    for p in pkgs:
        rpm = f"{p.name}-{p.version}-{p.release}.{p.arch}.rpm"
        yield (f'<package type="rpm">\n<name>{p.name}</name>\n<arch>{p.arch}</arch>\n'
               f'{_version(p)}\n<checksum type="sha256" pkgid="YES">{p.pkgid}</checksum>\n'
               f"<summary>{escape(p.summary)}</summary>\n"
               f"<description>{escape(p.summary)}.</description>\n"
               f"<packager>Synthetic</packager>\n<url>https://example.org/{p.name}</url>\n"
               f'<time file="{TIMESTAMP}" build="{TIMESTAMP}"/>\n'
               f'<size package="{p.size // 3}" installed="{p.size}" archive="{p.size}"/>\n'
               f'<location href="Packages/{p.name[0]}/{rpm}"/>\n<format>\n'
               "<rpm:license>MIT</rpm:license>\n<rpm:vendor>Synthetic</rpm:vendor>\n"
               "<rpm:group>Unspecified</rpm:group>\n<rpm:buildhost>bench</rpm:buildhost>\n"
               f"<rpm:sourcerpm>{p.srpm}</rpm:sourcerpm>\n"
               '<rpm:header-range start="4504" end="9000"/>\n'
               + _deps("provides", p.provides) + _deps("requires", p.requires)
               + _deps("recommends", p.recommends) + _deps("suggests", p.suggests)
               + _deps("supplements", p.supplements) + _deps("enhances", p.enhances)
               + "".join(f"<file>{escape(f)}</file>\n" for f in p.primary_files)
               + "</format>\n</package>\n")
    yield "</metadata>\n"


def filelists(pkgs: list[Pkg]) -> Iterator[str]:
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n<filelists xmlns="http://linux.duke.edu/'
           f'metadata/filelists" packages="{len(pkgs)}">\n')
    for p in pkgs:
        files = "".join(f"<file>{escape(f)}</file>" for f in p.primary_files + p.other_files)
        yield (f'<package pkgid="{p.pkgid}" name="{p.name}" arch="{p.arch}">'
               f"{_version(p)}{files}</package>\n")
    yield "</filelists>\n"


def other(pkgs: list[Pkg]) -> Iterator[str]:
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n<otherdata xmlns="http://linux.duke.edu/'
           f'metadata/other" packages="{len(pkgs)}">\n')
    for p in pkgs:
        yield (f'<package pkgid="{p.pkgid}" name="{p.name}" arch="{p.arch}">{_version(p)}'
               f'<changelog author="Synthetic &lt;bench@example.org&gt; - {p.version}" '
               f'date="{TIMESTAMP}">- Rebuilt</changelog></package>\n')
    yield "</otherdata>\n"


# ---------------------------------------------------------------- files


@dataclass(frozen=True, slots=True)
class Written:
    kind: str
    href: str
    checksum: str
    size: int
    open_checksum: str
    open_size: int


def _compress(data: bytes, xz: bool) -> bytes:
    if xz:
        return lzma.compress(data, preset=1)
    return gzip.compress(data, compresslevel=6, mtime=0)


def write_metadata(folder: Path, kind: str, chunks: Iterator[str], xz: bool) -> Written:
    plain = "".join(chunks).encode()
    packed = _compress(plain, xz)
    checksum = hashlib.sha256(packed).hexdigest()
    href = f"repodata/{checksum}-{kind}.xml.{'xz' if xz else 'gz'}"
    (folder / href).write_bytes(packed)
    return Written(kind, href, checksum, len(packed), hashlib.sha256(plain).hexdigest(),
                   len(plain))


def repomd(entries: list[Written]) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<repomd xmlns="http://linux.duke.edu/'
             'metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">\n'
             f"<revision>{TIMESTAMP}</revision>\n"]
    for e in entries:
        parts.append(f'<data type="{e.kind}">\n<checksum type="sha256">{e.checksum}</checksum>\n'
                     f'<open-checksum type="sha256">{e.open_checksum}</open-checksum>\n'
                     f'<location href="{e.href}"/>\n<timestamp>{TIMESTAMP}</timestamp>\n'
                     f"<size>{e.size}</size>\n<open-size>{e.open_size}</open-size>\n</data>\n")
    parts.append("</repomd>\n")
    return "".join(parts)


def realistic_files(pkgs: list[Pkg], seed: int) -> None:
    """Drop the files only filelists.xml lists from most packages (the realistic shape):
    a package keeps the ones some dependency names, or all of them when the seed picks it
    (``REALISTIC_KEEP`` of the packages). Its own generator: the packages stay the same."""
    rng = random.Random(f"realistic-{seed}")
    needed = {d.name for p in pkgs for kind in (p.requires, p.recommends, p.suggests,
                                                p.supplements, p.enhances)
              for d in kind if d.name.startswith("/")}
    for p in pkgs:
        if rng.random() >= REALISTIC_KEEP:
            p.other_files = [f for f in p.other_files if f in needed]


def generate(out: Path, packages: int = 70000, seed: int = 1, xz: bool = False,
             shape: str = "full") -> list[Pkg]:
    """Write the repository into ``out`` (replacing its repodata); return the packages."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    pkgs = Distro(packages, seed).build()
    if shape == "realistic":
        realistic_files(pkgs, seed)
    repodata = out / "repodata"
    repodata.mkdir(parents=True, exist_ok=True)
    for old in repodata.iterdir():
        old.unlink()
    entries = [write_metadata(out, kind, make(pkgs), xz)
               for kind, make in (("primary", primary), ("filelists", filelists),
                                  ("other", other))]
    (repodata / "repomd.xml").write_text(repomd(entries), encoding="utf-8")
    return pkgs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--packages", type=int, default=70000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--xz", action="store_true", help="xz instead of gzip")
    parser.add_argument("--shape", choices=SHAPES, default="full",
                        help="realistic: most packages without file lists beyond primary's")
    args = parser.parse_args(argv)
    pkgs = generate(args.out, args.packages, args.seed, args.xz, args.shape)
    openstack = sum(p.name.startswith("openstack-") for p in pkgs)
    files = sum(len(p.primary_files) + len(p.other_files) for p in pkgs)
    print(f"{args.out}: {len(pkgs)} packages, {openstack} openstack-*, {files} files "
          f"({args.shape} shape)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
