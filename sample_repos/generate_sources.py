#!/usr/bin/env python3
"""Regenerate the sample source repositories and their buildroot repositories.

For each release, ``<release>-source/`` holds one .src.rpm per source package of
``facts/<release>-buildrequires.json`` (real BuildRequires, read from the spec files by
``rpmspec -q --buildrequires``), built by ``rpmbuild -bs``, plus the planted ones below;
``<release>-buildroot/`` holds the binary packages those BuildRequires name that the
binary repository ``<release>/`` lacks (python-sphinx, intltool, graphviz, ...), with
plausible versions and small dependencies of their own.

Planted build cycles, as distributions have them:
- openstack-utils' test suite BuildRequires openstack-keystone, whose spec
  BuildRequires openstack-utils (a cycle among the openstack-* sources);
- python-sphinx BuildRequires python-docutils, whose documentation BuildRequires
  python-sphinx.

    python3 sample_repos/generate_sources.py [RELEASE ...]

Byte-for-byte reproducible, as generate.py's repositories are (same pinning).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as gen

# Binary packages for BuildRequires the binary repositories lack:
# name -> (version-release, summary, license, requires, provides).
BUILD_TOOLS: dict[str, tuple[str, str, str, list[str], list[str]]] = {
    "python-sphinx": ("1.1.3-2", "Python documentation generator", "BSD",
                      ["python-docutils", "python-jinja2", "python-setuptools"], []),
    "python-docutils": ("0.8.1-3", "System for processing plaintext documentation",
                        "Public Domain and BSD and Python and GPLv3+", ["python"], []),
    "python-jinja2": ("2.6-2", "General purpose template engine", "BSD", ["python"], []),
    "python-devel": ("{python}", "The libraries and header files needed for Python "
                     "development", "Python", ["python"], ["python2-devel = {evr}"]),
    "python3-devel": ("3.2.3-7", "Libraries and header files needed for Python 3 "
                      "development", "Python", [], []),
    "python3-setuptools": ("0.6.28-3", "Easily build and distribute Python 3 packages",
                           "Python or ZPLv2.0", ["python3-devel"], []),
    "python-setuptools-devel": ("0.6.27-2", "Easily build and distribute Python packages "
                                "(compatibility name)", "Python or ZPLv2.0",
                                ["python-setuptools"], []),
    "intltool": ("0.50.2-2", "Utility for internationalizing various kinds of data files",
                 "GPLv2 with exceptions", ["perl"], []),
    "perl": ("5.14.2-211", "Practical Extraction and Report Language",
             "GPL+ or Artistic", ["glibc"], []),
    "graphviz": ("2.28.0-17", "Graph Visualization Tools", "EPL", ["glibc"], []),
    "dos2unix": ("5.3.3-1", "Text file format converters", "BSD", ["glibc"], []),
    "nodejs": ("0.10.5-1", "JavaScript runtime", "MIT", ["glibc"], []),
    "nodejs-less": ("1.3.3-2", "Less.js The dynamic stylesheet language", "ASL 2.0",
                    ["nodejs"], []),
}
GENERIC_SUMMARY = "{name}, as the sample sources' BuildRequires name it"
# Planted source packages: name -> (version, BuildRequires) (release from the binaries).
PLANTED_SOURCES: dict[str, list[str]] = {
    "openstack-utils": ["openstack-keystone", "python2-devel"],
    "python-sphinx": ["python-docutils", "python-jinja2", "python-setuptools",
                      "python2-devel"],
    "python-docutils": ["python-setuptools", "python-sphinx", "python2-devel"],
}


def provided(packages: Sequence[gen.Package]) -> set[str]:
    names = set()
    for pkg in packages:
        names.add(pkg.name)
        names.update(dep.split()[0] for dep in pkg.deps["provides"])
    return names


def tool_package(name: str, release: gen.Release, binaries: dict[str, gen.Package],
                 ) -> gen.Package:
    vr, summary, license_, requires, provides = BUILD_TOOLS.get(
        name, ("1.0-1", GENERIC_SUMMARY.format(name=name), "MIT", [], []))
    if vr == "{python}":
        vr = binaries["python"].vr.removesuffix(release.dist)
    if not requires and name.startswith("python-"):
        requires = ["python"]
    epoch, version, rel = gen.split_evr(vr)
    pkg = gen.Package(name=name, srpm=name, epoch=epoch, version=version,
                      release=rel + release.dist, arch="noarch", summary=summary,
                      license=license_, deps={kind: [] for kind in gen.DEP_TAGS}, files={})
    pkg.deps["requires"] = list(requires)
    pkg.deps["provides"] = [gen.expand(p, pkg) for p in provides]
    gen.attach_payload(pkg, {}, release)
    return pkg


def buildroot_packages(release: gen.Release, sources: list[dict[str, Any]],
                       ) -> list[gen.Package]:
    """Binary packages for every BuildRequires (and their requires) the release lacks."""
    binaries = {p.name: p for p in gen.load_packages(release)}
    have = provided(list(binaries.values()))
    wanted = sorted({dep.split()[0] for s in sources for dep in s["buildrequires"]})
    added: dict[str, gen.Package] = {}
    while wanted:
        name = wanted.pop(0)
        if name in have or name in added or (name == "python2-devel" and "python-devel" in added):
            continue
        if name == "python2-devel":
            name = "python-devel"
        pkg = tool_package(name, release, binaries)
        added[name] = pkg
        have |= provided([pkg])
        wanted += [d.split()[0] for d in pkg.deps["requires"]]
    return [added[name] for name in sorted(added)]


def source_entries(release: gen.Release, binaries: list[gen.Package]) -> list[dict[str, Any]]:
    path = gen.FACTS_DIR / f"{release.name}-buildrequires.json"
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    by_name = {p.name: p for p in binaries}
    for name, buildrequires in PLANTED_SOURCES.items():
        pkg = by_name[name]
        entries.append({"source": name, "epoch": pkg.epoch, "version": pkg.version,
                        "release": pkg.release, "buildrequires": buildrequires})
    return sorted(entries, key=lambda e: str(e["source"]))


def source_spec(entry: dict[str, Any], group: gen.SourcePackage) -> str:
    """The spec of one source package: its real BuildRequires, and the binary packages
    the binary repositories hold for it (names, EVRs, dependencies, file names) as
    subpackages, so that ``rpmbuild --rebuild`` makes them again; their files are empty
    (the binary repositories' payload sizes are not rebuilt)."""
    main = group.main
    head = main or group.packages[0]
    epoch = main.epoch if main else None
    lines = [f"Name: {entry['source']}", f"Version: {entry['version']}",
             f"Release: {entry['release']}"]
    if main:
        lines += gen.package_tags(main, None)
    else:
        lines += [f"Summary: {head.summary}", f"License: {head.license}"]
    lines += [f"Vendor: {gen.VENDOR}", f"Packager: {gen.VENDOR}"]
    if group.arch == "noarch":
        lines.append("BuildArch: noarch")
    lines += [f"BuildRequires: {dep}" for dep in entry["buildrequires"]]
    # Nothing to compile, strip or byte-compile: a rebuild needs no macros of its own.
    lines += ["%global debug_package %{nil}", "%global __os_install_post %{nil}",
              "%global _build_id_links none"]
    lines += ["", "%description", gen.description(head)]
    for pkg in group.packages:
        if pkg is not main:
            lines += [f"%package -n {pkg.name}", *gen.package_tags(pkg, epoch), ""]
            lines += [f"%description -n {pkg.name}", gen.description(pkg)]
    lines += ["%install"]
    lines += [f"install -D -m 0644 /dev/null %{{buildroot}}{path}"
              for pkg in group.packages for path in pkg.files]
    lines.append("")
    for pkg in group.packages:
        lines += [*gen.files_section(pkg, pkg is main), ""]
    return "\n".join(lines)


def binary_group(entry: dict[str, Any], binaries: Sequence[gen.Package]) -> gen.SourcePackage:
    """The binary packages built from ``entry``'s source package (same name and EVR)."""
    vr = f"{entry['version']}-{entry['release']}"
    (group,) = gen.group_source_packages(
        p for p in binaries if p.srpm == entry["source"] and p.vr == vr)
    return group


def build_srpms(release: gen.Release, entries: list[dict[str, Any]],
                binaries: Sequence[gen.Package], top: Path) -> Path:
    for sub in ("SPECS", "SRPMS", "SOURCES"):
        (top / sub).mkdir(parents=True, exist_ok=True)
    env = gen.build_env(release, top)
    for entry in entries:
        spec = top / "SPECS" / f"{entry['source']}.spec"
        spec.write_text(source_spec(entry, binary_group(entry, binaries)),
                        encoding="utf-8")
        os.utime(spec, (release.timestamp, release.timestamp))
        gen.run(["rpmbuild", "-bs", "--nodeps", "--quiet",
                 "--define", f"_topdir {top}", "--define", f"_buildhost {gen.BUILD_HOST}",
                 "--define", "use_source_date_epoch_as_buildtime 1",
                 "--define", "clamp_mtime_to_source_date_epoch 1",
                 "--define", "_source_payload w9.gzdio", str(spec)], env)
    return top / "SRPMS"


def publish(release: gen.Release, files: list[Path], name: str) -> Path:
    repo = gen.HERE / name
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "Packages").mkdir(parents=True)
    for path in sorted(files):
        target = repo / "Packages" / path.name
        shutil.copyfile(path, target)
        target.chmod(0o644)
        os.utime(target, (release.timestamp, release.timestamp))
    gen.run(gen.createrepo_command(release, repo))
    return repo


def generate(release: gen.Release) -> None:
    top = gen.BUILD_ROOT / f"{release.name}-source"
    shutil.rmtree(top, ignore_errors=True)
    facts = json.loads((gen.FACTS_DIR / f"{release.name}-buildrequires.json").read_text())
    binaries = gen.load_packages(release)
    entries = source_entries(release, [*binaries, *buildroot_packages(release, facts)])
    tools = buildroot_packages(release, entries)
    srpms = build_srpms(release, entries, [*binaries, *tools], top)
    publish(release, sorted(srpms.iterdir()), f"{release.name}-source")
    sources = gen.group_source_packages(tools)
    gen.build_rpms(release, sources, top / "bin")
    publish(release, sorted((top / "bin" / "RPMS").iterdir()), f"{release.name}-buildroot")
    shutil.rmtree(top)
    print(f"{release.name}: {len(entries)} source packages, {len(tools)} buildroot packages")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the sample source repositories.")
    parser.add_argument("releases", nargs="*", metavar="RELEASE", help="default: all releases")
    args = parser.parse_args(argv)
    unknown = set(args.releases) - gen.RELEASES.keys()
    if unknown:
        parser.error(f"unknown release(s) {sorted(unknown)}; choose from {sorted(gen.RELEASES)}")
    for name in args.releases or gen.RELEASES:
        generate(gen.RELEASES[name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
