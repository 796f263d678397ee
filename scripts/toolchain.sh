#!/usr/bin/env bash
# Builds the Pulumi CLI the end-to-end runs use, from the Go module proxy (no binary downloads work
# here), into a cache outside the clone: $HOME/.cache/server-filings/toolchain/pulumi-<version>/bin.
# Idempotent: a CLI already built at the pinned version is reused, and a `pulumi` on PATH of that
# version or newer is used as it is. Versions are pinned here and only here. Progress on stderr; the
# last line on stdout is the directory holding `pulumi`.
#
# `go install` refuses modules with replace directives, and pkg/v3 has two: sdk/v3 (local, so we
# require sdk/v3 at the same version instead) and a fork of atotto/clipboard (copied as it is).
set -euo pipefail

PULUMI_VERSION="3.274.1"
CLIPBOARD_REPLACE="github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"

# The CLI is only asked its version here; it must not look for updates or plugins on the Internet.
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

BASE="${FILINGS_TOOLCHAIN:-$HOME/.cache/server-filings/toolchain}"
DIR="$BASE/pulumi-$PULUMI_VERSION"
say() { printf 'toolchain: %s\n' "$*" >&2; }

version_ok() { # $1: a version like 3.274.1 or v3.274.1
  local have="${1#v}"
  [ "$(printf '%s\n%s\n' "$PULUMI_VERSION" "$have" | sort -V | head -n 1)" = "$PULUMI_VERSION" ]
}

if command -v pulumi >/dev/null 2>&1 && version_ok "$(pulumi version 2>/dev/null || echo 0)"; then
  say "pulumi $(pulumi version) on PATH: used as it is"
  dirname "$(command -v pulumi)"
  exit 0
fi
if [ -x "$DIR/bin/pulumi" ] && [ "$("$DIR/bin/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  say "pulumi v$PULUMI_VERSION: cached in $DIR/bin"
  echo "$DIR/bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  say "Go is needed to build the Pulumi CLI from the Go module proxy; install Go 1.26 or later."
  exit 2
fi

say "pulumi v$PULUMI_VERSION: building from the Go module proxy (about 5 minutes with a warm Go cache, 17 cold)…"
mkdir -p "$DIR/src" "$DIR/bin"
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
mv "$DIR/bin/pulumi.tmp" "$DIR/bin/pulumi"
say "pulumi $("$DIR/bin/pulumi" version) built in $DIR/bin"
echo "$DIR/bin"
