#!/usr/bin/env bash
# Issue #15, second protocol: one table over the seeds finished in several run-grid-r2.sh folders
# of one regime (each process of a regime had its own OUT: `elim compare` locks its --out).
# Links every finished seed folder into MERGED and runs the grid's compare over those seeds with
# --reuse (which trains nothing: every run is found finished), then tables.mjs.
# usage: merge-r2.sh BAND STYLE VARIANTS_JSON MERGED OUT1 [OUT2 ...]
set -eu
band=$1 style=$2 variants=$3 merged=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
ELIM=${ELIM_BIN:-bin/elim.js}
mkdir -p "$merged"
seeds=()
for out in "$@"; do
  for marker in "$out"/done-*; do
    [ -e "$marker" ] || continue
    s=${marker##*/done-}
    ln -sfn "$(cd "$out" && pwd)/seed-$s" "$merged/seed-$s"
    seeds+=("$s")
  done
done
list=$(printf '%s\n' "${seeds[@]}" | sort -n | paste -sd, -)
case $list in *,*) ;; *) list="$list..$list" ;; esac
node "$ELIM" compare --seeds "$list" --steps 1000 --validate-every 100 --average-last 1 --input-size 16 \
  --synth-frames 40 --synth-band "$band" --synth-style "$style" --checkpoint-every 0 --no-plots \
  --backend cpu --log-every 250 --reuse --variants "$variants" --out "$merged" > "$merged/compare.log" 2>&1
node "$here/tables.mjs" "$merged/compare.json"
