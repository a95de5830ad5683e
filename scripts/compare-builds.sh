#!/usr/bin/env bash
# Times two tiendo binaries and Hugo alternately on the same site, each into an empty
# output folder, and prints each one's seconds and its ratio to Hugo's: how a change
# moves the build on a machine whose speed varies from minute to minute.
#
#   scripts/compare-builds.sh OLD_TIENDO NEW_TIENDO SITE [ROUNDS]
#
# SITE is a site folder, e.g. the benchmark's national one:
#   cargo bench --bench build -- --generate /dev/shm/national
# Hugo builds the plain corpus of ../shared/tools/hugo-baseline (made here if missing).
# Each tiendo build keeps its earlier years' pages in SITE/.tiendo-cache, as a monthly
# build does: delete it before each run to time the first build of a year instead.
set -euo pipefail
old=$1 new=$2 site=$3 rounds=${4:-7}
work=$(mktemp -d /dev/shm/compare-builds.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus="$(cd "$(dirname "$0")/../.." && pwd)/shared/tools/hugo-baseline/gen_corpus.py"
python3 "$corpus" 3321 "$work/plain" >/dev/null
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
# Once each first, so that both start with their caches made.
"$old" build --root "$site" --output "$work/old" >/dev/null 2>&1
"$new" build --root "$site" --output "$work/new" >/dev/null 2>&1
printf '%8s %8s %8s %9s %9s\n' old new hugo old/hugo new/hugo
for _ in $(seq "$rounds"); do
  rm -rf "$work/old" "$work/new" "$work/hugo"
  o=$(seconds "$old" build --root "$site" --output "$work/old")
  n=$(seconds "$new" build --root "$site" --output "$work/new")
  h=$(seconds hugo --quiet -s "$work/plain/hugo" -d "$work/hugo")
  printf '%8.3f %8.3f %8.3f %9.2f %9.2f\n' "$o" "$n" "$h" "$(echo "$o / $h" | bc -l)" "$(echo "$n / $h" | bc -l)"
done
