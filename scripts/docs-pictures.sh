#!/bin/sh
# The README's pictures, drawn by rpmgraph from the sample repositories into docs/:
#   make docs-pictures     (needs Graphviz, and chromium for the HTML page's screenshot)
set -eu
cd "$(dirname "$0")/.."
RPMGRAPH="${RPMGRAPH:-.venv/bin/rpmgraph}"
ESSEX=sample_repos/essex
FOLSOM=sample_repos/folsom
mkdir -p docs

"$RPMGRAPH" graph --repo "$ESSEX" openstack-keystone -o docs/openstack-keystone-essex.svg
"$RPMGRAPH" graph --repo "$ESSEX" openstack-nova -o docs/openstack-nova-essex.svg
"$RPMGRAPH" why --repo "$ESSEX" openstack-nova python-greenlet -o docs/why-nova-greenlet.svg
"$RPMGRAPH" diff --old-repo "$ESSEX" --repo "$FOLSOM" openstack-nova \
    -o docs/diff-nova-essex-folsom.svg

# The interactive page, with python-nova selected (the page reads #node=NEVRA).
chromium="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chromium" ]; then
    echo "docs-pictures: no chromium; skipped the HTML page's screenshot" >&2
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$RPMGRAPH" graph --repo "$ESSEX" openstack-nova -o "$work/nova.html"
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --window-size=1400,860 \
    --virtual-time-budget=5000 --screenshot="$work/page.png" \
    "file://$work/nova.html#node=python-nova-2012.1-6.fc17.noarch" 2>/dev/null
mv "$work/page.png" docs/html-page-nova-essex.png
echo "wrote docs/*.svg and docs/html-page-nova-essex.png" >&2
