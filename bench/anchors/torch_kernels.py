#!/usr/bin/env python3
"""PyTorch CPU anchor for bench/kernels.ts: float32 matmul and conv2d (forward and both
backward passes) GFLOP/s on a given number of threads.

Usage: /usr/bin/python3 bench/anchors/torch_kernels.py --threads 1 [--reps 5] [--sizes 256,512,1024]
           [--conv 64,128,128,16,16,3,1]   (N, C, O, H, W, K, pad)
Prints one JSON line: {"torch": version, "threads": n, "rows": [{"workload", "metric", "value", "unit"}]}
or {"skipped": "..."} when torch is not importable (with how to install it).
"""
import argparse
import json
import statistics
import time

from torch_or_skip import torch_or_skip


def median_ms(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--sizes", default="256,512,1024")
    ap.add_argument("--conv", default="64,128,128,16,16,3,1")
    ap.add_argument("--conv-reps", type=int, default=3)
    args = ap.parse_args()
    torch = torch_or_skip()
    if torch is None:
        return
    import torch.nn.functional as F
    from torch.nn.grad import conv2d_input, conv2d_weight
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rows = []
    with torch.no_grad():
        for n in [int(s) for s in args.sizes.split(",") if s]:
            a = torch.rand(n, n, dtype=torch.float32)
            b = torch.rand(n, n, dtype=torch.float32)
            ms = median_ms(lambda: torch.mm(a, b), 2, args.reps if n < 1024 else max(2, args.reps // 2))
            rows.append({"workload": f"matmul {n}", "metric": "gflops", "value": 2.0 * n ** 3 / ms / 1e6, "unit": "GFLOP/s"})
        N, C, O, H, W, K, pad = [int(s) for s in args.conv.split(",")]
        x = torch.rand(N, C, H, W, dtype=torch.float32)
        w = torch.rand(O, C, K, K, dtype=torch.float32)
        OH = H + 2 * pad - K + 1
        OW = W + 2 * pad - K + 1
        dy = torch.rand(N, O, OH, OW, dtype=torch.float32)
        flops = 2.0 * N * O * C * K * K * OH * OW
        tag = f"b{N} {C}->{O} {H}x{W} {K}x{K} pad {pad}"
        cases = [
            ("conv2d fwd", lambda: F.conv2d(x, w, padding=pad)),
            ("conv2d bwd-input", lambda: conv2d_input(x.shape, w, dy, padding=pad)),
            ("conv2d bwd-filter", lambda: conv2d_weight(x, w.shape, dy, padding=pad)),
        ]
        for name, fn in cases:
            ms = median_ms(fn, 1, args.conv_reps)
            rows.append({"workload": f"{name} {tag}", "metric": "gflops", "value": flops / ms / 1e6, "unit": "GFLOP/s"})
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "rows": rows}))


if __name__ == "__main__":
    main()
