#!/usr/bin/env bash
# Build the image and smoke-test it with compose (PostgreSQL, the server with 2 processes, 2 job workers): every
# service healthy, the server running as a non-root user on a read-only root filesystem, then health, ready,
# sign-in and a shortlist (deploy/smoke.py). Where no Docker engine answers (or compose is missing), it says plainly
# that it skipped and that no image was built, and exits 0; `make container` and .ci/run call it.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() { echo "container check SKIPPED: $1; the image was not built or tested here"; exit 0; }
command -v docker >/dev/null 2>&1 || skip "docker is not installed"
docker info >/dev/null 2>&1 || skip "no Docker engine answers (docker info failed)"
if docker compose version >/dev/null 2>&1; then compose=(docker compose); 
elif command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose);
else skip "neither docker compose nor docker-compose is installed"; fi

project="placewise-check-$$"
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
export POSTGRES_PASSWORD PLACEWISE_DB_PASSWORD PLACEWISE_PORT
POSTGRES_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
PLACEWISE_DB_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
PLACEWISE_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run() { "${compose[@]}" -p "$project" -f compose.yaml "$@"; }
trap 'run down -v --remove-orphans >/dev/null 2>&1 || true' EXIT

run config -q
run build
run up -d
for _ in $(seq 90); do  # at most 3 minutes for PostgreSQL, the migration and the register
    [ "$(docker inspect -f '{{.State.Health.Status}}' "$(run ps -q server)" 2>/dev/null)" = healthy ] && break
    sleep 2
done
[ "$(docker inspect -f '{{.State.Health.Status}}' "$(run ps -q server)")" = healthy ] \
    || { run logs --tail 50; echo "container check FAILED: the server never became healthy"; exit 1; }
[ "$(run ps -q worker | wc -l)" -eq 2 ] || { echo "container check FAILED: not 2 workers running"; exit 1; }
[ "$(run exec -T server id -u)" != 0 ] || { echo "container check FAILED: the server runs as root"; exit 1; }
if run exec -T server sh -c 'touch /opt/placewise/written 2>/dev/null'; then
    echo "container check FAILED: the root filesystem is writable"; exit 1
fi
echo "$password" | run exec -T server placewise users add smoke-cw --role caseworker --councils E06900001 \
    --password-stdin >/dev/null
echo "$password" | python3 deploy/smoke.py "http://127.0.0.1:${PLACEWISE_PORT}" smoke-cw
echo "container check passed: built, healthy under compose (PostgreSQL, 2 server processes, 2 workers), non-root,"
echo "read-only root filesystem, smoke test passed"
