#!/usr/bin/env bash
# Installs the pinned n8n 1.x once into the cache and prints its folder: the release the
# package must keep loading in. Runs with the system Node (n8n 1.x wants Node 18-22).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(node -p "require('$root/package.json').config.n8n1Version")"
# The whole tree is pinned by a committed lockfile: scripts/n8n-runtimes/n8n-1. Its package.json
# overrides xlsx: n8n's pinned xlsx comes from a host this machine cannot reach, the
# registry's 0.18.5 stands in.
runtime="$root/scripts/n8n-runtimes/n8n-1"
dir="${LLM_CHAT_CACHE_DIR:?run this under scripts/with-node24.sh, which sets it}/n8n-$version"
marker="$dir/.installed"
# The marker holds the hash of the runtime's package.json and lockfile: a changed lockfile reinstalls.
want="$(cat "$runtime/package.json" "$runtime/package-lock.json" | sha256sum | cut -d' ' -f1)"
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 18 ] || [ "$major" -gt 22 ]; then
	echo "[install-n8n1] n8n $version needs Node 18-22 on PATH, found $(node -v)" >&2
	exit 1
fi

if [ "$(cat "$marker" 2>/dev/null)" = "$want" ]; then
	echo "$dir"
	exit 0
fi

locked="$(node -p "require('$runtime/package-lock.json').packages['node_modules/n8n'].version")"
if [ "$locked" != "$version" ]; then
	echo "[install-n8n1] $runtime/package-lock.json pins n8n $locked but package.json config.n8n1Version is $version: regenerate the lockfile (scripts/n8n-runtimes/README.md)" >&2
	exit 1
fi

echo "[install-n8n1] installing n8n@$version from its lockfile into $dir (takes several minutes the first time)" >&2
rm -rf "$dir"
mkdir -p "$dir"
cp "$runtime/package.json" "$runtime/package-lock.json" "$dir/"
cd "$dir"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
npm rebuild sqlite3 >&2
node -e "require('sqlite3')" >&2
echo "$want" >"$marker"
echo "$dir"
