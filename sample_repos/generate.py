#!/usr/bin/env python3
"""Regenerate the sample rpm-md repositories essex, folsom and grizzly.

Each repository holds real rpms built by rpmbuild from spec files written here and
repodata made by createrepo_c.  The dependencies of the OpenStack packages come
verbatim from facts/<release>-fcNN.json; every other package (the Fedora 17/18/19
packages the OpenStack ones need) is defined in packages.json.

    python3 sample_repos/generate.py                 # all releases
    python3 sample_repos/generate.py folsom          # one release

The output is byte-for-byte reproducible: build time, build host, file modes and
mtimes, payload compression and repodata timestamps are all pinned, so running it
again leaves `git status` clean.  Needs rpmbuild and createrepo_c; stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FACTS_DIR = HERE / "facts"
PACKAGES_FILE = HERE / "packages.json"
BUILD_ROOT = HERE / ".build"

BUILD_HOST = "sample.rpmgraph"
VENDOR = "Fedora Project"
DEFAULT_PAYLOAD_SIZE = 65536

# Dependency kinds as (field in packages.json and Package.deps, spec-file tag).
DEP_TAGS: dict[str, str] = {
    "requires": "Requires",
    "requires_pre": "Requires(pre)",
    "provides": "Provides",
    "obsoletes": "Obsoletes",
    "conflicts": "Conflicts",
    "recommends": "Recommends",
    "suggests": "Suggests",
    "supplements": "Supplements",
}

# rpmbuild adds "NAME(ISA) = EVR" on its own for these architectures.
ISA_NAMES = {"x86_64": "x86-64"}

# Payload files in these directories get mode 0755, as executables do in real packages.
EXECUTABLE_DIRS = ("/bin/", "/sbin/", "/libexec/")


@dataclass(frozen=True)
class Release:
    name: str
    fedora: int
    facts: str
    timestamp: int  # SOURCE_DATE_EPOCH: build time, file mtimes and repodata revision
    compression: str  # createrepo_c --general-compress-type, varied to exercise readers
    python3: str  # python3 X.Y, for python3-* payload paths

    @property
    def dist(self) -> str:
        return f".fc{self.fedora}"


# The timestamps are the dates of the newest facts of each release.  createrepo_c
# 0.17.3 has no zstd ("Unknown/Unsupported compression type"), so grizzly uses bz2.
RELEASES: dict[str, Release] = {
    r.name: r
    for r in (
        Release("essex", 17, "essex-fc17.json", 1337212800, "gz", "3.2"),  # 2012-05-17
        Release("folsom", 18, "folsom-fc18.json", 1353024000, "xz", "3.3"),  # 2012-11-16
        Release("grizzly", 19, "grizzly-fc19.json", 1368748800, "bz2", "3.3"),  # 2013-05-17
    )
}


@dataclass
class Package:
    """One binary rpm to build."""

    name: str
    srpm: str
    epoch: int | None
    version: str
    release: str  # with the dist tag
    arch: str
    summary: str
    license: str
    deps: dict[str, list[str]]
    files: dict[str, int]  # payload path -> size in bytes

    @property
    def vr(self) -> str:
        return f"{self.version}-{self.release}"

    @property
    def evr(self) -> str:
        return self.vr if self.epoch is None else f"{self.epoch}:{self.vr}"

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.vr}.{self.arch}.rpm"


@dataclass
class SourcePackage:
    """Binary packages built together from one spec file, as subpackages of one srpm."""

    name: str
    version: str
    release: str
    arch: str
    packages: list[Package]

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}-{self.release}.{self.arch}"

    @property
    def main(self) -> Package | None:
        """The package named like the srpm; without one, the spec only has subpackages."""
        return next((p for p in self.packages if p.name == self.name), None)


# --------------------------------------------------------------------------- data


def for_release(value: Any, release: str) -> Any:
    """Any field may be an object keyed by release name; anything else applies to all."""
    if isinstance(value, dict) and value and set(value) <= RELEASES.keys():
        return value.get(release)
    return value


def split_evr(evr: str) -> tuple[int | None, str, str]:
    """'[E:]V-R' -> (epoch, version, release); the release has no dist tag yet."""
    epoch, _, vr = evr.rpartition(":")
    version, _, release = vr.rpartition("-")
    if not version or not release:
        raise ValueError(f"bad evr {evr!r}")
    return (int(epoch) if epoch else None), version, release


def expand(dep: str, pkg: Package) -> str:
    """Fill in the package's own version, as %{version}-%{release} does in a spec."""
    return dep.replace("{evr}", pkg.evr).replace("{vr}", pkg.vr).replace("{version}", pkg.version)


def default_payload_path(pkg: Package, module: str | None, release: Release) -> str:
    """Where a package without explicit files keeps its one payload file."""
    if pkg.name.endswith("-doc"):
        return f"/usr/share/doc/{pkg.name}-{pkg.version}/html/index.html"
    if module or pkg.name.startswith(("python-", "python3-")):
        libdir = "/usr/lib" if pkg.arch == "noarch" else "/usr/lib64"
        python = f"python{release.python3}" if pkg.name.startswith("python3-") else "python2.7"
        module = module or re.sub(r"^python3?-", "", pkg.name).replace("-", "_")
        return f"{libdir}/{python}/site-packages/{module}/__init__.py"
    return f"/usr/share/doc/{pkg.name}-{pkg.version}/README"


def attach_payload(pkg: Package, meta: Mapping[str, Any], release: Release) -> None:
    files = for_release(meta.get("files"), release.name)
    if files:
        pkg.files = dict(files)
        return
    size = for_release(meta.get("size"), release.name) or DEFAULT_PAYLOAD_SIZE
    module = for_release(meta.get("module"), release.name)
    pkg.files = {default_payload_path(pkg, module, release): size}


def automatic_provides(pkg: Package) -> set[str]:
    """What rpmbuild provides by itself, so the spec must not repeat it."""
    own = {f"{pkg.name} = {pkg.evr}"}
    if pkg.arch in ISA_NAMES:
        own.add(f"{pkg.name}({ISA_NAMES[pkg.arch]}) = {pkg.evr}")
    return own


def openstack_package(fact: Mapping[str, Any], meta: Mapping[str, Any], rel: Release) -> Package:
    """A package from the facts: Requires, Provides, Obsoletes and Conflicts exactly as listed."""
    if not meta:
        raise SystemExit(f"{PACKAGES_FILE.name}: no 'openstack' entry for {fact['name']}")
    requires = list(fact["requires"])
    # 'pre' moves some facts Requires to Requires(pre): the facts cannot tell them apart.
    pre = list(for_release(meta.get("pre"), rel.name) or [])
    for dep in pre:
        if dep not in requires:
            raise SystemExit(f"{fact['name']}: 'pre' dependency {dep!r} is not in the facts")
        requires.remove(dep)
    pkg = Package(
        name=fact["name"],
        srpm=fact["spec"].removesuffix(".spec"),
        epoch=None if fact["epoch"] is None else int(fact["epoch"]),  # the facts spell it "1"
        version=fact["version"],
        release=fact["release"],
        arch=fact["arch"],
        summary=meta["summary"],
        license=meta["license"],
        deps={kind: [] for kind in DEP_TAGS},
        files={},
    )
    pkg.deps.update(requires=requires, requires_pre=pre)
    pkg.deps["provides"] = [p for p in fact["provides"] if p not in automatic_provides(pkg)]
    pkg.deps["obsoletes"] = list(fact["obsoletes"])
    pkg.deps["conflicts"] = list(fact["conflicts"])
    for kind in ("recommends", "suggests", "supplements"):
        pkg.deps[kind] = list(for_release(meta.get(kind), rel.name) or [])
    attach_payload(pkg, meta, rel)
    return pkg


def openstack_packages(release: Release, meta: Mapping[str, Any]) -> list[Package]:
    facts = json.loads((FACTS_DIR / release.facts).read_text(encoding="utf-8"))
    return [openstack_package(fact, meta.get(fact["name"], {}), release) for fact in facts]


def distro_package(entry: Mapping[str, Any], release: Release) -> Package | None:
    """A non-OpenStack package from packages.json, or None when the release lacks it."""
    evr = for_release(entry["evr"], release.name)
    if evr is None:
        return None
    epoch, version, rel = split_evr(evr)
    pkg = Package(
        name=entry["name"],
        srpm=entry.get("srpm", entry["name"]),
        epoch=epoch,
        version=version,
        release=rel + release.dist,
        arch=entry.get("arch", "noarch"),
        summary=for_release(entry["summary"], release.name),
        license=for_release(entry["license"], release.name),
        deps={},
        files={},
    )
    for kind in DEP_TAGS:
        deps = for_release(entry.get(kind), release.name) or []
        if set(deps) & RELEASES.keys():  # a per-release object spliced into a list by mistake
            raise SystemExit(f"{pkg.name}: {kind} names a release: {deps}")
        pkg.deps[kind] = [expand(dep, pkg) for dep in deps]
    attach_payload(pkg, entry, release)
    return pkg


def load_packages(release: Release) -> list[Package]:
    data = json.loads(PACKAGES_FILE.read_text(encoding="utf-8"))
    packages = openstack_packages(release, data["openstack"])
    for entry in data["packages"]:
        pkg = distro_package(entry, release)
        if pkg is not None:
            packages.append(pkg)
    filenames = [p.filename for p in packages]
    duplicates = {f for f in filenames if filenames.count(f) > 1}
    if duplicates:
        raise SystemExit(f"{release.name}: packages defined twice: {sorted(duplicates)}")
    check_file_owners(release, packages)
    return packages


def check_file_owners(release: Release, packages: Iterable[Package]) -> None:
    """No path in two different packages, so any set of them can be installed together."""
    owners: dict[str, set[str]] = {}
    for pkg in packages:
        for path in pkg.files:
            owners.setdefault(path, set()).add(pkg.name)
    shared = {path: sorted(names) for path, names in owners.items() if len(names) > 1}
    if shared:
        raise SystemExit(f"{release.name}: paths shipped by several packages: {shared}")


def group_source_packages(packages: Iterable[Package]) -> list[SourcePackage]:
    groups: dict[tuple[str, str, str, str], SourcePackage] = {}
    for pkg in packages:
        key = (pkg.srpm, pkg.version, pkg.release, pkg.arch)
        if key not in groups:
            groups[key] = SourcePackage(pkg.srpm, pkg.version, pkg.release, pkg.arch, [])
        groups[key].packages.append(pkg)
    for src in groups.values():
        check_epochs(src)
    return [groups[key] for key in sorted(groups)]


def check_epochs(src: SourcePackage) -> None:
    # A subpackage inherits the main package's Epoch and a spec cannot take it away again.
    main = src.main
    if main is None or main.epoch is None:
        return
    for pkg in src.packages:
        if pkg.epoch is None:
            raise SystemExit(f"{pkg.name}: no Epoch, but its srpm {src.name} has {main.epoch}")


# --------------------------------------------------------------------------- specs


def rpm_group(pkg: Package) -> str:
    if pkg.name.endswith("-doc"):
        return "Documentation"
    if pkg.name.startswith("openstack-"):
        return "Applications/System"
    if "python" in pkg.name.lower() or pkg.name.lower().startswith("py"):
        return "Development/Languages"
    return "System Environment/Base"


def package_tags(pkg: Package, inherited_epoch: int | None) -> list[str]:
    lines = []
    if pkg.epoch != inherited_epoch:
        lines.append(f"Epoch: {pkg.epoch}")
    lines += [
        f"Summary: {pkg.summary}",
        f"License: {pkg.license}",
        f"Group: {rpm_group(pkg)}",
        # Dependencies are exactly the listed ones: no ELF, Python or script scanning.
        "AutoReqProv: no",
    ]
    for kind, tag in DEP_TAGS.items():
        lines += [f"{tag}: {dep}" for dep in pkg.deps[kind]]
    return lines


def description(pkg: Package) -> str:
    return (
        f"{pkg.summary}.\n\n"
        "A stand-in package of the rpmgraph sample repositories: its dependencies are\n"
        "the real ones, its payload is filler text of a plausible size.\n"
    )


def is_executable(path: str) -> bool:
    in_bin_dir = any(d in path for d in EXECUTABLE_DIRS)
    return in_bin_dir or re.search(r"\.so(\.[0-9.]+)?$", path) is not None


def files_section(pkg: Package, is_main: bool) -> list[str]:
    lines = ["%files" if is_main else f"%files -n {pkg.name}", "%defattr(0644,root,root,0755)"]
    for path in pkg.files:
        lines.append(f"%attr(0755,root,root) {path}" if is_executable(path) else path)
    return lines


def spec_text(src: SourcePackage) -> str:
    main = src.main
    head = main or src.packages[0]
    epoch = main.epoch if main else None
    lines = [f"Name: {src.name}", f"Version: {src.version}", f"Release: {src.release}"]
    if main:
        lines += package_tags(main, None)
    else:  # only subpackages are built, but the srpm still needs a Summary and License
        lines += [f"Summary: {head.summary}", f"License: {head.license}"]
    lines += [f"Vendor: {VENDOR}", f"Packager: {VENDOR}"]
    if src.arch == "noarch":
        lines.append("BuildArch: noarch")
    lines += ["", "%description", description(head)]
    for pkg in src.packages:
        if pkg is not main:
            lines += [f"%package -n {pkg.name}", *package_tags(pkg, epoch), ""]
            lines += [f"%description -n {pkg.name}", description(pkg)]
    # The payload is staged by stage_payload(); %install only copies it.
    lines += ["%install", f"cp -pR %{{_sourcedir}}/{src.key}/. %{{buildroot}}/", ""]
    for pkg in src.packages:
        lines += [*files_section(pkg, pkg is main), ""]
    return "\n".join(lines)


def payload(pkg: Package, path: str, size: int) -> bytes:
    """Exactly `size` bytes of repeated text: a plausible installed size that compresses away."""
    shebang = "#!/bin/sh\n" if is_executable(path) else ""
    head = f"{shebang}# {path} from {pkg.name}-{pkg.vr}: {pkg.summary}\n"
    filler = f"# {pkg.name}: sample payload, repeated up to a plausible installed size\n"
    text = head + filler * (size // len(filler) + 1)
    return text.encode()[:size]


def stage_payload(src: SourcePackage, sources: Path) -> None:
    root = sources / src.key
    for pkg in src.packages:
        for path, size in pkg.files.items():
            target = root / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload(pkg, path, size))


# --------------------------------------------------------------------------- building


def rpmbuild_command(top: Path, arch: str, specs: Sequence[Path]) -> list[str]:
    defines = {
        "_topdir": str(top),
        "_rpmdir": str(top / "RPMS"),
        "_rpmfilename": "%%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
        "_buildhost": BUILD_HOST,
        # With SOURCE_DATE_EPOCH these pin the build time and every file mtime.
        "use_source_date_epoch_as_buildtime": "1",
        "clamp_mtime_to_source_date_epoch": "1",
        # gzip at level 9 is deterministic and squeezes the repetitive payloads.
        "_binary_payload": "w9.gzdio",
        "_binary_filedigest_algorithm": "8",
        # Headers say redhat (as Fedora's do) rather than the build machine's vendor.
        "_target_platform": "%{_target_cpu}-redhat-linux-gnu",
        "optflags": "-O2 -g",
        # No debuginfo, stripping, byte-compiling or build-id links: nothing to compile.
        "debug_package": "%{nil}",
        "__os_install_post": "%{nil}",
        "_build_id_links": "none",
    }
    cmd = ["rpmbuild", "-bb", "--nodeps", "--quiet"]
    if arch != "noarch":
        cmd += ["--target", arch]
    for name, value in defines.items():
        cmd += ["--define", f"{name} {value}"]
    return cmd + [str(spec) for spec in specs]


def build_env(release: Release, top: Path) -> dict[str, str]:
    env = dict(os.environ)
    # HOME points into the scratch dir so that no ~/.rpmmacros changes the result.
    env.update(SOURCE_DATE_EPOCH=str(release.timestamp), TZ="UTC", LC_ALL="C", HOME=str(top))
    return env


def run(cmd: Sequence[str], env: Mapping[str, str] | None = None) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{cmd[0]} failed with exit code {result.returncode}")


def build_rpms(release: Release, sources: list[SourcePackage], top: Path) -> None:
    """Write one spec per source package and run rpmbuild, one process per core."""
    # Made up front: parallel rpmbuilds race to create them and one of them fails.
    for sub in ("SOURCES", "SPECS", "RPMS", "SRPMS", "BUILD", "BUILDROOT"):
        (top / sub).mkdir(parents=True, exist_ok=True)
    by_arch: dict[str, list[Path]] = {}
    for src in sources:
        spec = top / "SPECS" / f"{src.key}.spec"
        spec.write_text(spec_text(src), encoding="utf-8")
        stage_payload(src, top / "SOURCES")
        by_arch.setdefault(src.arch, []).append(spec)
    workers = os.cpu_count() or 1
    env = build_env(release, top)
    jobs = [
        rpmbuild_command(top, arch, specs[i::workers])
        for arch, specs in sorted(by_arch.items())
        for i in range(min(workers, len(specs)))
    ]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda cmd: run(cmd, env), jobs))


def assemble_repository(release: Release, packages: list[Package], rpms: Path) -> Path:
    repo = HERE / release.name
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "Packages").mkdir(parents=True)
    built = sorted(p.name for p in rpms.iterdir())
    expected = sorted(p.filename for p in packages)
    if built != expected:
        raise SystemExit(f"rpmbuild made {sorted(set(built) ^ set(expected))} unexpectedly")
    for filename in expected:
        target = repo / "Packages" / filename
        shutil.copyfile(rpms / filename, target)
        target.chmod(0o644)
        # primary.xml records each rpm's mtime as <time file=...>.
        os.utime(target, (release.timestamp, release.timestamp))
    run(createrepo_command(release, repo))
    return repo


def createrepo_command(release: Release, repo: Path) -> list[str]:
    return [
        "createrepo_c",
        "--quiet",
        # The sqlite databases are not reproducible; dnf and libsolv read the XML.
        "--no-database",
        "--workers", "1",
        "--revision", str(release.timestamp),
        "--set-timestamp-to-revision",
        "--general-compress-type", release.compression,
        "--distro", f"cpe:/o:fedoraproject:fedora:{release.fedora},Fedora {release.fedora}",
        str(repo),
    ]  # fmt: skip


# --------------------------------------------------------------------------- checking

QUERY_FORMAT = (
    "@ %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm\n"
    "[requires %{REQUIRENEVRS}\n][provides %{PROVIDENEVRS}\n]"
    "[obsoletes %{OBSOLETENEVRS}\n][conflicts %{CONFLICTNEVRS}\n]"
    "[recommends %{RECOMMENDNEVRS}\n][suggests %{SUGGESTNEVRS}\n]"
    "[supplements %{SUPPLEMENTNEVRS}\n]"
)


def built_dependencies(repo: Path) -> dict[str, dict[str, set[str]]]:
    """filename -> dependency kind -> entries, as rpm reads them from the built headers."""
    rpms = sorted(str(p) for p in (repo / "Packages").iterdir())
    out = subprocess.run(
        ["rpm", "-qp", "--qf", QUERY_FORMAT, *rpms], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, dict[str, set[str]]] = {}
    current: dict[str, set[str]] = {}
    for line in out.splitlines():
        kind, _, value = line.partition(" ")
        if kind == "@":
            current = result.setdefault(value, {})
        elif not value.startswith("rpmlib("):  # added by rpmbuild, as in every real rpm
            current.setdefault(kind, set()).add(value)
    return result


def expected_dependencies(pkg: Package) -> dict[str, set[str]]:
    expected = {kind: set(deps) for kind, deps in pkg.deps.items() if deps}
    expected.pop("requires_pre", None)
    requires = set(pkg.deps["requires"]) | set(pkg.deps["requires_pre"])
    if requires:
        expected["requires"] = requires
    expected["provides"] = set(pkg.deps["provides"]) | automatic_provides(pkg)
    return expected


def verify_headers(repo: Path, packages: list[Package]) -> None:
    """The built rpms carry exactly the intended dependencies (and so the facts)."""
    built = built_dependencies(repo)
    for pkg in packages:
        if built.get(pkg.filename) != expected_dependencies(pkg):
            raise SystemExit(f"{pkg.filename}: header dependencies differ from the definition")


# --------------------------------------------------------------------------- main


def generate(release: Release, keep_build: bool) -> None:
    packages = load_packages(release)
    sources = group_source_packages(packages)
    top = BUILD_ROOT / release.name
    shutil.rmtree(top, ignore_errors=True)
    build_rpms(release, sources, top)
    repo = assemble_repository(release, packages, top / "RPMS")
    verify_headers(repo, packages)
    if not keep_build:
        shutil.rmtree(top)
    print(f"{release.name}: {len(packages)} rpms from {len(sources)} spec files in {repo}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the sample rpm-md repositories.")
    parser.add_argument("releases", nargs="*", metavar="RELEASE", help="default: all releases")
    parser.add_argument("--keep-build", action="store_true", help="keep .build/ for inspection")
    args = parser.parse_args(argv)
    unknown = set(args.releases) - RELEASES.keys()
    if unknown:
        parser.error(f"unknown release(s) {sorted(unknown)}; choose from {sorted(RELEASES)}")
    for name in args.releases or RELEASES:
        generate(RELEASES[name], args.keep_build)
    if not args.keep_build and BUILD_ROOT.exists() and not any(BUILD_ROOT.iterdir()):
        BUILD_ROOT.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
