#!/usr/bin/env bash
# One seed of the issue-9 protocol: baseline + every variant of $VARIANTS, same data/init/batches.
# usage: [ELIM_BIN=path/to/elim.js] run-seed.sh SEED VARIANTS_JSON OUT [extra compare options]
# (the runs used a frozen copy of dist/ at commit 8e60212 so that concurrent kernel work could not change them mid-way)
set -euo pipefail
seed=$1; variants=$2; out=$3; shift 3
node "${ELIM_BIN:-bin/elim.js}" compare --seeds "$seed..$seed" --steps 100 --validate-every 25 --average-last 3 \
  --checkpoint-every 0 --no-plots --backend cpu --log-every 25 --reuse \
  --variants "$variants" --out "$out" "$@"
