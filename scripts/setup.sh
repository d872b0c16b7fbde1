#!/usr/bin/env bash
# Installs the dev dependencies exactly as locked (npm ci) when node_modules is missing or older than
# package-lock.json, then runs the given command. Run under with-node24.sh.
# --ignore-scripts: a lint dependency's preinstall insists on pnpm; nothing in
# the dev tree needs an install script (isolated-vm ships its Node 24 binary).
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.llm-chat-setup
want="$(node -v) $(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	echo "[setup] installing dev dependencies (npm ci, exactly as locked)" >&2
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
	echo "$want" >"$stamp"
fi

[ $# -eq 0 ] || exec "$@"
