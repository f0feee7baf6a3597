#!/usr/bin/env bash
# Every run of the issue-9 experiments, as they ran (sequentially; the machine was shared).
# ELIM_BIN: the runs used a frozen copy of dist/ built at commit 8e60212 (so that concurrent
# kernel work could not change them mid-way); bin/elim.js built from that commit gives the same.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export ELIM_BIN=${ELIM_BIN:-bin/elim.js}
D=docs/experiments/issue-9
OUT=${OUT:-/tmp/exp}
# 1. 100 iterations, 5 seeds: the reference rows and the feature-space shifts
for s in 0 1 2 3 4; do $D/run-seed.sh $s $D/variants-a.json $OUT/A; done
# 2. 100 iterations, 2 seeds (screening; seed 2 was cut for time): the release's choices, ELIM weight, warm-up (baselines reused)
for s in 0 1; do $D/run-seed.sh $s $D/variants-b.json $OUT/A; done
# 3. latent 512 (its own baseline), 100 iterations, 2 seeds
for s in 0 1; do $D/run-seed.sh $s $D/variants-l512.json $OUT/L512 --latent 512; done
# probe: does a longer schedule give the baseline transferable expression reading? (seed 0)
node $ELIM_BIN train --method baseline --seed 0 --steps 400 --validate-every 50 --checkpoint-every 0 --no-plots --backend cpu --log-every 50 --out $OUT/long-probe
# 4. 300 iterations (the CLI default), 5 seeds: references and the two most promising shifts
for s in 0 1 2 3 4; do $D/run-seed.sh $s $D/variants-300.json $OUT/S300 --steps 300 --validate-every 50; done
# the tables: every run reused, nothing trained (run-seed.sh takes a comma list of seeds too)
$D/run-seed.sh 0,1,2,3,4 $D/variants-a.json $OUT/A
$D/run-seed.sh 0,1 $D/variants-b.json $OUT/A
$D/run-seed.sh 0,1 $D/variants-l512.json $OUT/L512 --latent 512
$D/run-seed.sh 0,1,2,3,4 $D/variants-300.json $OUT/S300 --steps 300 --validate-every 50
