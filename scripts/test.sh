#!/usr/bin/env bash
# The test command (npm test): one tsc pass over everything (tests included, so a test that no
# longer type-checks fails here, not only in CI) that also emits dist/ (the CLI end-to-end tests
# run the real binary; what is packed is built by tsconfig.build.json at prepack), then runs the
# whole suite under Xvfb when xvfb-run is available so the GPU.js backend gets a real (Mesa,
# software) GL context; in CI (CI=true) the GL tests insist on it.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
if [ "${CI:-}" = "true" ]; then export ELIM_REQUIRE_GL=1; fi
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" npx vitest run "$@"
fi
if [ "${ELIM_REQUIRE_GL:-}" = "1" ]; then echo "test: ELIM_REQUIRE_GL=1 but no DISPLAY and no xvfb-run" >&2; exit 1; fi
exec npx vitest run "$@"
