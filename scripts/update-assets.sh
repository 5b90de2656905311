#!/bin/sh
# Re-fetch the JavaScript libraries bundled into the HTML page, from the npm registry,
# into rpmgraph/render/assets/ (committed: the page is built offline and loads nothing).
#   scripts/update-assets.sh            the versions pinned below
#   CYTOSCAPE_VERSION=3.x.y scripts/update-assets.sh
set -eu
cd "$(dirname "$0")/.."
CYTOSCAPE_VERSION="${CYTOSCAPE_VERSION:-3.34.4}"
ASSETS=rpmgraph/render/assets
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "cytoscape@$CYTOSCAPE_VERSION" >/dev/null && tar xzf cytoscape-*.tgz)
cp "$work/package/dist/cytoscape.min.js" "$ASSETS/cytoscape.min.js"
cp "$work/package/LICENSE" "$ASSETS/cytoscape.LICENSE"
echo "cytoscape $CYTOSCAPE_VERSION" > "$ASSETS/VERSIONS"
echo "updated $ASSETS: cytoscape $CYTOSCAPE_VERSION" >&2
