#!/usr/bin/env bash
# Issue #15 grid, second protocol (1000 iterations at 16 px, 40 frames per identity): one regime,
# seeds one at a time (each an `elim compare` of one seed into OUT, reusing finished runs), then the
# table over every seed finished so far (a compare with --reuse over those seeds trains nothing),
# so a partial grid still yields a table. Several processes may share one OUT on disjoint seed
# ranges; rerun the last line by hand once all have finished.
# usage: run-grid-r2.sh BAND STYLE FIRST_SEED LAST_SEED OUT VARIANTS_JSON
set -u
band=$1 style=$2 first=$3 last=$4 out=$5 variants=$6
ELIM=${ELIM_BIN:-bin/elim.js}
COMMON=(--steps 1000 --validate-every 100 --average-last 1 --input-size 16 --synth-frames 40
  --synth-band "$band" --synth-style "$style" --checkpoint-every 0 --no-plots --backend cpu
  --log-every 250 --reuse --variants "$variants" --out "$out")
mkdir -p "$out"
for s in $(seq "$first" "$last"); do
  if node "$ELIM" compare --seeds "$s..$s" "${COMMON[@]}" > "$out.seed-$s.log" 2>&1; then
    touch "$out/done-$s"
  else
    echo "seed $s failed" >&2
  fi
  done_seeds=$(ls "$out" | sed -n 's/^done-//p' | sort -n | paste -sd, -)
  # one seed must be written s..s: a lone number is a count (seeds 0..n-1)
  case $done_seeds in *,*) ;; "") continue ;; *) done_seeds="$done_seeds..$done_seeds" ;; esac
  node "$ELIM" compare --seeds "$done_seeds" "${COMMON[@]}" > "$out.table.txt" 2>/dev/null
done
