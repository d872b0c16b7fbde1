#!/usr/bin/env bash
# Installs the pinned n8n 1.x once into the cache and prints its folder: the release the
# package must keep loading in. Runs with the system Node (n8n 1.x wants Node 18-22).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(node -p "require('$root/package.json').config.n8n1Version")"
dir="${LLM_CHAT_CACHE_DIR:?run this under scripts/with-node24.sh, which sets it}/n8n-$version"
marker="$dir/.installed"
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 18 ] || [ "$major" -gt 22 ]; then
	echo "[install-n8n1] n8n $version needs Node 18-22 on PATH, found $(node -v)" >&2
	exit 1
fi

if [ -f "$marker" ]; then
	echo "$dir"
	exit 0
fi

echo "[install-n8n1] installing n8n@$version into $dir (takes several minutes the first time)" >&2
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
# Its pinned xlsx comes from a host this machine cannot reach; the registry's 0.18.5 stands in.
echo '{"name":"n8n1-runtime","private":true,"overrides":{"xlsx":"0.18.5"}}' >package.json
npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "n8n@$version" >&2
npm rebuild sqlite3 >&2
node -e "require('sqlite3')" >&2
touch "$marker"
echo "$dir"
