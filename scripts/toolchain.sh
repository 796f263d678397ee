#!/usr/bin/env bash
# Builds the tools `filing preview` / `filing up`, the end-to-end tests and `npm run demo` run against,
# from the Go module proxy (no binary downloads work here), into a cache outside the clone
# ($HOME/.cache/server-filings/toolchain, or $FILINGS_TOOLCHAIN):
#   - the Pulumi CLI, in pulumi-<version>/bin (a `pulumi` on PATH of that version or newer is used as it is);
#   - our simulated vCenter (scripts/vcsim, on govmomi's simulator), in vcsim-<source hash>/vcsim.
# Idempotent: what is built at the pinned version and the current source is reused. Versions are
# pinned here and only here. Progress on stderr. On stdout, one KEY=value line per tool:
#   PULUMI_BIN=<directory holding pulumi>
#   VCSIM=<path of the simulator>
# `--check` builds nothing: it prints the lines of the tools that are ready and exits 3 if one is missing.
#
# `go install` refuses modules with replace directives, and pkg/v3 has two: sdk/v3 (local, so we
# require sdk/v3 at the same version instead) and a fork of atotto/clipboard (copied as it is).
set -euo pipefail

PULUMI_VERSION="3.274.1"
CLIPBOARD_REPLACE="github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"

# The CLI is only asked its version here; it must not look for updates or plugins on the Internet.
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

CHECK=false
[ "${1:-}" = "--check" ] && CHECK=true
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BASE="${FILINGS_TOOLCHAIN:-$HOME/.cache/server-filings/toolchain}"
say() { printf 'toolchain: %s\n' "$*" >&2; }
missing=0

need_go() {
  if ! command -v go >/dev/null 2>&1; then
    say "Go is needed to build $1 from the Go module proxy; install Go 1.26 or later."
    exit 2
  fi
}

version_ok() { # $1: a version like 3.274.1 or v3.274.1
  local have="${1#v}"
  [ "$(printf '%s\n%s\n' "$PULUMI_VERSION" "$have" | sort -V | head -n 1)" = "$PULUMI_VERSION" ]
}

# --- the Pulumi CLI -------------------------------------------------------------------------------
DIR="$BASE/pulumi-$PULUMI_VERSION"
if command -v pulumi >/dev/null 2>&1 && version_ok "$(pulumi version 2>/dev/null || echo 0)"; then
  say "pulumi $(pulumi version) on PATH: used as it is"
  echo "PULUMI_BIN=$(dirname "$(command -v pulumi)")"
elif [ -x "$DIR/bin/pulumi" ] && [ "$("$DIR/bin/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  say "pulumi v$PULUMI_VERSION: cached in $DIR/bin"
  echo "PULUMI_BIN=$DIR/bin"
elif $CHECK; then
  say "pulumi v$PULUMI_VERSION: not built (bash scripts/toolchain.sh builds it in about 8 minutes)"
  missing=1
else
  need_go "the Pulumi CLI"
  say "pulumi v$PULUMI_VERSION: building from the Go module proxy (about 5 minutes with a warm Go cache, 17 cold)…"
  mkdir -p "$DIR/src" "$DIR/bin"
  (
    cd "$DIR/src"
    cat > go.mod <<MOD
module server-filings.local/pulumi-cli

go 1.26

replace $CLIPBOARD_REPLACE
MOD
    GOFLAGS=-mod=mod go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" >&2
    GOFLAGS=-mod=mod go build -trimpath \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$DIR/bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  )
  mv "$DIR/bin/pulumi.tmp" "$DIR/bin/pulumi"
  say "pulumi $("$DIR/bin/pulumi" version) built in $DIR/bin"
  echo "PULUMI_BIN=$DIR/bin"
fi

# --- the simulated vCenter ------------------------------------------------------------------------
# Keyed by a hash of its sources (go.mod and go.sum pin govmomi), so an edit rebuilds it.
SRC="$ROOT/scripts/vcsim"
HASH="$(cd "$SRC" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-12)"
SIM="$BASE/vcsim-$HASH/vcsim"
if [ -x "$SIM" ]; then
  say "vcsim: cached in $(dirname "$SIM")"
  echo "VCSIM=$SIM"
elif $CHECK; then
  say "vcsim: not built for the current source (bash scripts/toolchain.sh builds it in about a minute)"
  missing=1
else
  need_go "the simulated vCenter"
  say "vcsim: building scripts/vcsim (govmomi from the Go module proxy)…"
  mkdir -p "$(dirname "$SIM")"
  (cd "$SRC" && go build -trimpath -o "$SIM.tmp" . >&2)
  mv "$SIM.tmp" "$SIM"
  say "vcsim: built in $(dirname "$SIM")"
  echo "VCSIM=$SIM"
fi

[ "$missing" = 0 ] || exit 3
