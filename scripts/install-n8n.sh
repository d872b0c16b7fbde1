#!/usr/bin/env bash
# Installs the pinned n8n 2.x once into a cache folder outside the repository
# and prints its folder. Reused when already complete.
# Must run under Node 24 (scripts/with-node24.sh).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(node -p "require('$root/package.json').config.n8nVersion")"
dir="${LLM_CHAT_CACHE_DIR:?run this under scripts/with-node24.sh, which sets it}/n8n-$version"
marker="$dir/.installed"

if [ -f "$marker" ]; then
	echo "$dir"
	exit 0
fi

echo "[install-n8n] installing n8n@$version into $dir (takes several minutes the first time)" >&2
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
echo '{"name":"n8n-runtime","private":true}' >package.json
# --ignore-scripts: the Kafka node's dependency downloads sources from the
# internet in its install script. Only the two native modules n8n needs are
# then built (against Node 24's headers, set by with-node24.sh).
npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "n8n@$version" >&2
npm_config_nodedir="${LLM_CHAT_NODEDIR:-$(dirname "$(dirname "$(command -v node)")")}" npm rebuild sqlite3 isolated-vm >&2
node -e "require('sqlite3')" >&2
touch "$marker"
echo "$dir"
