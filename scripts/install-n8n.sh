#!/usr/bin/env bash
# Installs the pinned n8n 2.x once into a cache folder outside the repository
# and prints its folder. Reused when already complete.
# Must run under Node 24 (scripts/with-node24.sh).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(node -p "require('$root/package.json').config.n8nVersion")"
# The whole tree is pinned by a committed lockfile (the registry's "latest" of some transitive
# package can be half-published): scripts/n8n-runtimes/n8n-2.
runtime="$root/scripts/n8n-runtimes/n8n-2"
dir="${LLM_CHAT_CACHE_DIR:?run this under scripts/with-node24.sh, which sets it}/n8n-$version"
marker="$dir/.installed"
# The marker holds the hash of the runtime's package.json and lockfile: a changed lockfile reinstalls.
want="$(cat "$runtime/package.json" "$runtime/package-lock.json" | sha256sum | cut -d' ' -f1)"

if [ "$(cat "$marker" 2>/dev/null)" = "$want" ]; then
	echo "$dir"
	exit 0
fi

locked="$(node -p "require('$runtime/package-lock.json').packages['node_modules/n8n'].version")"
if [ "$locked" != "$version" ]; then
	echo "[install-n8n] $runtime/package-lock.json pins n8n $locked but package.json config.n8nVersion is $version: regenerate the lockfile (scripts/n8n-runtimes/README.md)" >&2
	exit 1
fi

echo "[install-n8n] installing n8n@$version from its lockfile into $dir (takes several minutes the first time)" >&2
rm -rf "$dir"
mkdir -p "$dir"
cp "$runtime/package.json" "$runtime/package-lock.json" "$dir/"
cd "$dir"
# --ignore-scripts: the Kafka node's dependency downloads sources from the
# internet in its install script. Only the two native modules n8n needs are
# then built (against Node 24's headers, set by with-node24.sh).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
npm_config_nodedir="${LLM_CHAT_NODEDIR:-$(dirname "$(dirname "$(command -v node)")")}" npm rebuild sqlite3 isolated-vm >&2
node -e "require('sqlite3')" >&2
echo "$want" >"$marker"
echo "$dir"
