#!/usr/bin/env bash
# Installs Debian's redis-server and postgresql when they are missing: n8n's queue mode
# (e2e/queue.js) runs on them. The test starts its own instances on loopback ports in a
# temporary folder; the system services are never started.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "[install-queue-services] installing ${missing[*]} from Debian's packages" >&2
apt-get update -qq >/dev/null
# A policy-rc.d keeps the packages from starting their system services (the machine's own, if any, stays).
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
