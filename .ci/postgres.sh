#!/usr/bin/env bash
# A local PostgreSQL for the record vault's tests; prints its connection string on stdout.
#
#   VAULT_TEST_DATABASE_URL="$(bash .ci/postgres.sh)"
#
# Installs Debian's `postgresql` package if it is missing, starts its cluster if it is down, and creates (once) a
# login role named after the current OS user and the database `healthtrace_vault_test`. The connection goes over the
# Unix socket with peer authentication, so no password exists anywhere. Idempotent; safe to run again.
set -euo pipefail
# Debian keeps runuser, apt-get's helpers and PostgreSQL's cluster tools in sbin, which a CI PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { printf '\033[2m[postgres]\033[0m %s\n' "$*" >&2; }
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
  as_postgres() { runuser -u postgres -- "$@"; }
else
  SUDO=(sudo)
  as_postgres() { sudo -u postgres "$@"; }
fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  log "installing Debian's postgresql"
  if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; then
    "${SUDO[@]}" apt-get update -q >&2
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
  fi
fi

if [ -z "$(pg_lsclusters --no-header)" ]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  log "creating cluster $version/main"
  "${SUDO[@]}" pg_createcluster "$version" main >&2
fi
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1)
if [ "$status" != "online" ]; then
  log "starting cluster $version/$cluster on port $port"
  "${SUDO[@]}" pg_ctlcluster "$version" "$cluster" start >&2
fi

role="$(id -un)"
db="healthtrace_vault_test"
psql_pg() { as_postgres psql -X -q -p "$port" -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != "1" ]; then
  log "creating role $role"
  psql_pg -c "CREATE ROLE \"$role\" LOGIN" >&2
fi
if [ "$(psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
  log "creating database $db"
  as_postgres createdb -p "$port" -O "$role" "$db" >&2
fi
printf 'postgresql://%s@/%s?host=/var/run/postgresql&port=%s\n' "$role" "$db" "$port"
