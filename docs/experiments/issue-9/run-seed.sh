#!/usr/bin/env bash
# One seed of the issue-9 protocol: baseline + every variant of $VARIANTS, same data/init/batches.
# usage: run-seed.sh SEED VARIANTS_JSON OUT [extra compare options]
set -euo pipefail
seed=$1; variants=$2; out=$3; shift 3
node bin/elim.js compare --seeds "$seed" --steps 100 --validate-every 25 --average-last 3 \
  --checkpoint-every 0 --no-plots --backend cpu --log-every 25 --reuse \
  --variants "$variants" --out "$out" "$@"
