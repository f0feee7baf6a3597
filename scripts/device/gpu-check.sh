#!/usr/bin/env bash
# Real-GPU check for a Linux machine with an NVIDIA GPU and no display (under 8 minutes).
# Prints the adapter / renderer each mode really got, then the benchmark rows of both modes:
#  1. WebGPU mode (Dawn over Vulkan, no X server): brings the Vulkan loader (libvulkan1) when
#     missing and root, finds the NVIDIA driver's Vulkan ICD file (or writes one pointing at
#     libGLX_nvidia.so.0, where a container mounted the driver without it), then runs
#     bench/webgpu.ts (gpujs-webgpu beside tfjs-webgpu: matmul, conv2d fwd/bwd, AL64 step/inference),
#     then the same rows in headless Chromium (bench/webgpu-browser.ts, ELIM_CHROMIUM_GPU=1: Chromium's
#     Vulkan WebGPU instead of SwiftShader; skipped when /usr/bin/chromium is missing).
#  2. GL mode (GPU.js on headless-gl): GLX under Xvfb with __GLX_VENDOR_LIBRARY_NAME=nvidia
#     (plain Xvfb renders with Mesa llvmpipe on the CPU, even on a GPU machine), then
#     bench/gpu-check.ts (renderer, kernel class, GFLOP/s) and the gpujs/tfjs-webgl rows of
#     bench:kernels. A renderer naming llvmpipe is reported as software, not as the GPU.
# Each part has its own time limit; a part that fails says why and the next one still runs.
# Usage: scripts/device/gpu-check.sh [--quick]   (BENCH_QUICK sizes: seconds per part)
set -uo pipefail
cd "$(dirname "$0")/../.."
START=$(date +%s)
LIMIT=470 # seconds for the whole script (8 minutes, less a margin)
left() { echo $((LIMIT - ($(date +%s) - START))); }
say() { echo "[gpu-check] $*"; }
slice() { local want=$1 l; l=$(left); [ "$l" -lt 5 ] && l=5; if [ "$l" -lt "$want" ]; then echo "$l"; else echo "$want"; fi; } # never 0: timeout 0 means none
[ "${1:-}" = "--quick" ] && export BENCH_QUICK=1

[ -f dist/bench/webgpu.js ] && [ -f dist/bench/webgpu-browser.js ] && [ -f dist/bench/gpu-check.js ] || npx tsc -p tsconfig.build.json || { say "build failed"; exit 1; }

say "GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo 'nvidia-smi not available')"

# --- 1. WebGPU (Dawn over Vulkan) ---------------------------------------------------------
has_loader() { ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; }
if ! has_loader && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "installing the Vulkan loader (libvulkan1)"
  timeout "$(slice 90)" bash -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q libvulkan1 >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libvulkan1 >/dev/null 2>&1; }'
fi
has_loader && say "Vulkan loader: $(ldconfig -p | grep -m1 'libvulkan\.so\.1' | sed 's/.*=> //')" || say "no Vulkan loader (libvulkan.so.1): apt-get install libvulkan1"

if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  for f in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json /usr/local/share/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$f" ]; then export VK_ICD_FILENAMES="$f"; break; fi
  done
fi
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  f=$(find /usr /etc /opt -maxdepth 6 -name 'nvidia_icd*.json' 2>/dev/null | head -n1)
  [ -n "$f" ] && export VK_ICD_FILENAMES="$f"
fi
if [ -z "${VK_ICD_FILENAMES:-}" ] && ldconfig -p 2>/dev/null | grep -q 'libGLX_nvidia\.so\.0'; then
  # the NVIDIA Vulkan driver lives in libGLX_nvidia.so.0; containers often mount it without the json
  VK_ICD_FILENAMES=/tmp/elim_nvidia_icd.json
  echo '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3.0"}}' >"$VK_ICD_FILENAMES"
  export VK_ICD_FILENAMES
  say "no nvidia_icd.json found; wrote $VK_ICD_FILENAMES pointing at libGLX_nvidia.so.0"
fi
say "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-(none found: Dawn searches the default loader paths)}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
export ELIM_VULKAN_SYSTEM=1 # never SwiftShader here: the adapter printed must be the real one
command -v vulkaninfo >/dev/null && timeout 20 vulkaninfo --summary 2>/dev/null | grep -E 'deviceName|driverName|apiVersion' | sed 's/^/[gpu-check] vulkaninfo: /'

say "WebGPU mode: bench/webgpu.ts (adapter lines first)"
ELIM_REQUIRE_WEBGPU=1 timeout "$(slice 180)" node dist/bench/webgpu.js 2>&1 | grep -v 'XDG_RUNTIME_DIR' || say "WebGPU bench failed or timed out (exit ${PIPESTATUS[0]})"
if [ -x /usr/bin/chromium ]; then
  say "WebGPU in headless Chromium: bench/webgpu-browser.ts (page adapter line first)"
  ELIM_CHROMIUM_GPU=1 timeout "$(slice 120)" node dist/bench/webgpu-browser.js 2>&1 | tail -n 25 || say "browser WebGPU bench failed or timed out"
else
  say "browser WebGPU rows skipped: /usr/bin/chromium missing (apt-get install chromium)"
fi

# --- 2. GL (headless-gl) under Xvfb, GLX routed to the NVIDIA driver -----------------------
if ! command -v xvfb-run >/dev/null; then
  say "GL mode skipped: xvfb-run missing (apt-get install xvfb xauth)"
  exit 0
fi
# gpu-check.js prints one pretty JSON object: keep its renderer / kernel-class lines on one line
gl_renderer() { timeout "$(slice 60)" xvfb-run -a -s "-screen 0 1280x1024x24" node dist/bench/gpu-check.js --small --reps 1 2>/dev/null | grep -E '"(available|renderer|nativeRenderer|unmaskedRenderer|kernelClass|error)"' | tr -s ' \n' ' '; }
say "GL mode: GLX under Xvfb with __GLX_VENDOR_LIBRARY_NAME=nvidia"
info=$(__GLX_VENDOR_LIBRARY_NAME=nvidia gl_renderer)
glx_env="__GLX_VENDOR_LIBRARY_NAME=nvidia"
if [ -z "$info" ] || echo "$info" | grep -qiE 'llvmpipe|"available": ?false|softpipe'; then
  say "NVIDIA GLX under Xvfb gave: ${info:-nothing}; trying plain Xvfb (Mesa)"
  glx_env=""
  info=$(gl_renderer)
fi
say "GL check: ${info:-no answer}"
echo "$info" | grep -qi llvmpipe && say "GL renders in software (llvmpipe): GL rows below are CPU figures"
say "GL rows: bench:kernels (gpujs, tfjs-webgl)"
env ${glx_env:+$glx_env} BENCH_ENGINES=gpujs,tfjs-webgl timeout "$(slice 200)" xvfb-run -a -s "-screen 0 1280x1024x24" node dist/bench/kernels.js 2>&1 | tail -n 25 || say "GL bench failed or timed out"
say "done in $(( $(date +%s) - START )) s"
