#!/usr/bin/env bash
# Real-GPU check (see bench/gpu-check.ts): builds, then prints the GL renderer, the GPU.js kernel
# class and matmul/conv2d GFLOP/s as JSON. Needs the gl package built (npm rebuild gl) and, unless
# headless-gl finds a context through EGL, an X display: xvfb-run -a is used when none is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/bench/gpu-check.js ] || npx tsc -p tsconfig.build.json
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" node dist/bench/gpu-check.js "$@"
fi
exec node dist/bench/gpu-check.js "$@"
