#!/usr/bin/env bash
# Runs a command with the project's toolchain: Node >= 22.18 first on PATH and node_modules installed.
#
#   bash scripts/toolchain.sh <command> [args...]
#
# Hardhat 3 needs Node >= 22.13 and the TypeScript scripts run by plain `node` need 22.18 (type
# stripping on by default), so the floor is 22.18. When the machine's Node is older (Debian's Node 20 here), the pinned
# version in .nvmrc is installed from the npm registry (the `node` package, which ships the official
# binary) into .toolchain/ once, and used from then on. A machine that already has Node 22.18+ or 24
# uses its own. npm itself then runs under that Node too: under Node 20 it would silently skip EDR's
# native package (its engines field says >= 22) and Hardhat would fail with HHE27/HHE411.
#
# node_modules are (re)installed with `npm ci` whenever package-lock.json or the Node major version
# changed since the last install (a stamp in node_modules/ records both).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PINNED_NODE="$(tr -d '[:space:]' < "$ROOT/.nvmrc")"
TOOLCHAIN_DIR="$ROOT/.toolchain"

log() { printf '\033[2m[toolchain]\033[0m %s\n' "$*" >&2; }

node_is_recent() {
  command -v node >/dev/null 2>&1 && node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major > 22 || (major === 22 && minor >= 18) ? 0 : 1);'
}

if ! node_is_recent; then
  if [ ! -x "$TOOLCHAIN_DIR/node_modules/node/bin/node" ] \
    || [ "$("$TOOLCHAIN_DIR/node_modules/node/bin/node" --version)" != "v$PINNED_NODE" ]; then
    log "Node $(node --version 2>/dev/null || echo none) is older than 22.18: installing Node $PINNED_NODE from the npm registry into .toolchain/"
    rm -rf "$TOOLCHAIN_DIR"
    mkdir -p "$TOOLCHAIN_DIR"
    printf '{ "name": "healthtrace-toolchain", "private": true }\n' > "$TOOLCHAIN_DIR/package.json"
    npm install --prefix "$TOOLCHAIN_DIR" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node@$PINNED_NODE" >&2
  fi
  export PATH="$TOOLCHAIN_DIR/node_modules/node/bin:$PATH"
  node_is_recent || { echo "error: could not provision Node >= 22.18 (see above)" >&2; exit 1; }
fi

# From here on, `node`, `npm` and `npx` run under Node >= 22.18.
STAMP="$ROOT/node_modules/.healthtrace-install"
WANT="$(node -e '
  const { createHash } = require("node:crypto");
  const lock = require("node:fs").readFileSync(process.argv[1]);
  console.log(createHash("sha256").update(lock).digest("hex") + " node" + process.versions.node.split(".")[0]);
' "$ROOT/package-lock.json")"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  log "installing dependencies with npm ci under Node $(node --version)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
  printf '%s\n' "$WANT" > "$STAMP"
fi

cd "$ROOT"
# Variables for non-local networks (see .env.example); an existing environment variable wins.
if [ -f "$ROOT/.env" ]; then
  while IFS='=' read -r key value; do
    case "$key" in ''|\#*) continue ;; esac
    [ -n "${!key:-}" ] || export "$key=$value"
  done < "$ROOT/.env"
fi
export PATH="$ROOT/node_modules/.bin:$PATH"
exec "$@"
