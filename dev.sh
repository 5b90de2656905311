#!/bin/sh
# One entry point that sets everything up on a fresh Debian/Ubuntu or Fedora machine:
#   ./dev.sh demo   the OpenStack loop: one SVG per openstack-* package of sample_repos/essex
#   ./dev.sh test   the whole test suite (pytest, then ruff and mypy)
#   ./dev.sh setup  only the setup: system packages, .venv, the project installed into it
# System packages are installed only when missing; the virtual environment is made
# with the system's python3, the one the distribution's rpm bindings are built for.
set -eu
cd "$(dirname "$0")"
VENV=.venv

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

system_packages() {
    if command -v apt-get >/dev/null 2>&1; then
        need=""
        for pkg in rpm python3-rpm graphviz createrepo-c python3-venv dnf dnf-plugins-core chromium; do
            # (installed, not only known: a removed package leaves "deinstall" behind)
            dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" \
                || need="$need $pkg"
        done
        [ -z "$need" ] && return 0
        echo "installing system packages:$need" >&2
        as_root apt-get update -qq
        # shellcheck disable=SC2086
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
    elif command -v dnf >/dev/null 2>&1; then
        need=""
        for pkg in rpm-build python3-rpm graphviz createrepo_c python3 dnf dnf-plugins-core chromium; do
            rpm -q "$pkg" >/dev/null 2>&1 || need="$need $pkg"
        done
        [ -z "$need" ] && return 0
        echo "installing system packages:$need" >&2
        # shellcheck disable=SC2086
        as_root dnf install -y -q $need
    else
        echo "dev.sh: no apt-get or dnf here; install rpm, rpmbuild, the rpm Python bindings," \
             "graphviz and createrepo_c by hand" >&2
        exit 2
    fi
}

virtualenv() {
    if [ ! -x "$VENV/bin/python" ]; then
        /usr/bin/python3 -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'
}

setup() {
    system_packages
    virtualenv
}

demo() {
    setup
    rm -rf out/essex
    "$VENV/bin/rpmgraph" graph --repo sample_repos/essex 'openstack-*' -O out/essex --format svg
    echo "wrote $(ls out/essex | wc -l) SVG files into out/essex/" >&2
}

run_tests() {
    setup
    "$VENV/bin/python" -m pytest -q "$@"
    "$VENV/bin/ruff" check rpmgraph tests sample_repos/generate.py
    "$VENV/bin/mypy"
}

case "${1:-}" in
    demo) demo ;;
    test) shift; run_tests "$@" ;;
    setup) setup ;;
    *) echo "usage: ./dev.sh demo | test [pytest args] | setup" >&2; exit 2 ;;
esac
