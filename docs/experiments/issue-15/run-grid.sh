#!/usr/bin/env bash
# Issue #15 grid: one regime, seeds one at a time (each an `elim compare` of one seed into the
# same folder), then the table over every finished seed with --reuse (which trains nothing),
# so a partial grid still yields a table.
# usage: run-grid.sh BAND STYLE FIRST_SEED LAST_SEED OUT
set -u
band=$1 style=$2 first=$3 last=$4 out=$5
here=$(cd "$(dirname "$0")" && pwd)
ELIM=${ELIM_BIN:-bin/elim.js}
COMMON=(--steps 100 --validate-every 25 --average-last 1 --input-size 16 --synth-frames 24
  --synth-band "$band" --synth-style "$style" --checkpoint-every 0 --no-plots --backend cpu
  --log-every 50 --reuse --variants "$here/variants.json" --out "$out")
for s in $(seq "$first" "$last"); do
  node "$ELIM" compare --seeds "$s..$s" "${COMMON[@]}" > "$out.seed-$s.log" 2>&1 || echo "seed $s failed" >&2
  node "$ELIM" compare --seeds "$first..$s" "${COMMON[@]}" > "$out.table.txt" 2>/dev/null
done
