#!/usr/bin/env bash
# Issue #15, second protocol: the regularised baseline's sweep. Four configurations x seeds 0-2 in
# the premise regime (disc + strong), 1000 iterations at 16 px, every one with early stopping on
# 20% of the TRAINING identities; the pick is the configuration with the best mean selection score
# (mean CCC on that split of training identities, metrics.json earlyStopping.score). Held-out
# identities play no part in the pick.
# usage: sweep-r2.sh OUTDIR
set -u
out=$1
ELIM=${ELIM_BIN:-bin/elim.js}
run() {
  name=$1 seed=$2
  shift 2
  ELIM_THREADS=1 node "$ELIM" train --method baseline --steps 1000 --validate-every 100 --input-size 16 \
    --synth-frames 40 --synth-band disc --synth-style strong --checkpoint-every 0 --no-plots --backend cpu \
    --log-every 250 --early-stop-fraction 0.2 --seed "$seed" --out "$out/$name-s$seed" "$@" > "$out/$name-s$seed.log" 2>&1
}
for s in 0 1 2; do
  run A "$s" --dropout 0.2 &
  run B "$s" --weight-decay 0.0005 --dropout 0.5 --augment-jitter 0.2 --augment-translate 1 &
  run C "$s" --weight-decay 0.0001 --dropout 0.2 --augment-jitter 0.1 &
  run D "$s" --dropout 0.2 --augment-jitter 0.2 --augment-translate 1 &
  wait
done
for c in A B C D; do
  node -e 'const [out, c] = process.argv.slice(1);
    const s = [0, 1, 2].map((k) => require(`${out}/${c}-s${k}/metrics.json`).earlyStopping.score);
    console.log(c, s.map((x) => x.toFixed(3)).join(" "), "mean", (s.reduce((a, b) => a + b) / 3).toFixed(3));' "$(cd "$out" && pwd)" "$c"
done
