#!/usr/bin/env bash
# Builds the Go tools the tests run against into a cache outside the clone, from the Go module proxy
# (no binary downloads work here). Idempotent: a tool already built at its pinned version is reused.
# Versions are pinned here and only here.
set -euo pipefail

ACTIONLINT_VERSION="v1.7.7"

BIN="${FILINGS_TOOLS_BIN:-$HOME/.cache/server-filings/bin}"
mkdir -p "$BIN"

have() { [ -x "$BIN/$1" ] && [ -f "$BIN/.$1.version" ] && [ "$(cat "$BIN/.$1.version")" = "$2" ]; }

if ! command -v go >/dev/null 2>&1; then
  echo "tools.sh: Go is needed to build actionlint (go install); install Go 1.22 or later." >&2
  exit 1
fi

if have actionlint "$ACTIONLINT_VERSION"; then
  echo "actionlint $ACTIONLINT_VERSION: cached in $BIN"
else
  echo "actionlint $ACTIONLINT_VERSION: building from the Go module proxy…"
  GOBIN="$BIN" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  echo "$ACTIONLINT_VERSION" > "$BIN/.actionlint.version"
fi
