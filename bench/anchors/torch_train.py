#!/usr/bin/env python3
"""PyTorch CPU anchor for bench/train.ts: the AL64 workload (lib/nn/al64.ts) on a given number
of threads, one workload per process (so its peak RSS is that workload's):

  baseline  one training step: forward, L_va + 0.5 (L_PCC + L_CCC), backward, Adam (0.5, 0.99)
  elim      one ELIM training step as pipelines/elim.ts (default ElimConfig, warm-up off):
            batch = 8 identities x 8 images; group (N = 8 identities drawn, the first is the
            anchor) -> sample (Gumbel top-k, k = 6, p ~ ||label||) -> transport (cosine cost,
            mean-dot relevance weights, scaling Sinkhorn, lambda = 5, 5 iterations, on detached
            features) -> shift mu_j = sum_i X_ij C_ij (detached) -> RMS normalise -> project all
            targets jointly (batch statistics, running statistics untouched) -> loss
            = baseline objective + sum over targets of MSE(f(z~), y)
  infer     eval-mode forward of a batch

Usage: /usr/bin/python3 bench/anchors/torch_train.py --threads 1 --workload baseline [--batch 64]
           [--warmup 1] [--reps 3]
Prints one JSON line: {"torch", "threads", "workload", "batch", "median_ms", "min_ms", "reps",
"cpu_per_wall", "max_rss_kib", "losses"} or {"skipped": "..."} when torch is not importable.
"""
import argparse
import json
import resource
import statistics
import time

from torch_or_skip import torch_or_skip


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--workload", choices=["baseline", "elim", "infer"], default="baseline")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    torch = torch_or_skip()
    if torch is None:
        return
    import torch.nn as nn
    import torch.nn.functional as F
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)

    encoder = nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(),
        nn.Conv2d(128, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8192, 256), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(256, 64), nn.BatchNorm1d(64), nn.ReLU(),
    )
    projector = nn.Sequential(nn.Linear(64, 1280), nn.BatchNorm1d(1280), nn.ReLU(), nn.Linear(1280, 2))
    params = list(encoder.parameters()) + list(projector.parameters())
    opt = torch.optim.Adam(params, lr=1e-4, betas=(0.5, 0.99))

    B = args.batch
    x = torch.rand(B, 3, 64, 64, generator=gen) * 2 - 1
    labels = torch.rand(B, 2, generator=gen) * 2 - 1
    P, K = 8, B // 8  # identities x images per identity
    keys = torch.arange(B) // K

    def base_objective(y, t):
        eps = 1e-8
        my, mt = y.mean(0), t.mean(0)
        dy, dt = y - my, t - mt
        vy, vt = (dy * dy).mean(0), (dt * dt).mean(0)
        cov = (dy * dt).mean(0)
        va = ((y - t) ** 2).mean(0).sum()
        pcc = cov / ((vy * vt).sqrt() + eps)
        ccc = 2 * cov / (vy + vt + (my - mt) ** 2 + eps)
        return va + 0.5 * ((1 - pcc.mean()) + (1 - ccc.mean()))

    def project_joint(z):
        # projector in training mode with batch statistics, running statistics untouched
        lin1, bn, _, lin2 = projector
        h = lin1(z)
        h = F.batch_norm(h, None, None, bn.weight, bn.bias, training=True, eps=bn.eps)
        return lin2(F.relu(h))

    def gumbel_topk(idx, k):
        norms = labels[idx].norm(dim=1)
        logp = torch.log(norms / norms.sum())
        g = -torch.log(-torch.log(torch.rand(len(idx), generator=gen).clamp_min(1e-20)))
        return idx[torch.argsort((logp + g) / 0.5, descending=True)[:k]]

    def sinkhorn_shift(za, zt, lam=5.0, iters=5):
        C = 1 - F.normalize(za, dim=1) @ F.normalize(zt, dim=1).t()
        a = torch.relu(za @ zt.mean(0)); a = a * len(a) / a.sum()
        b = torch.relu(zt @ za.mean(0)); b = b * len(b) / b.sum()
        Kmat = torch.exp(-lam * C)
        v = torch.ones_like(b)
        for _ in range(iters):
            u = a / (Kmat @ v)
            v = b / (Kmat.t() @ u)
        X = u[:, None] * Kmat * v[None, :]
        return (X * C).sum(0)  # mu_j, one per target sample

    def elim_term(z):
        order = torch.randperm(P, generator=gen)[:8]
        groups = [torch.nonzero(keys == int(p)).flatten() for p in order]
        kept = [gumbel_topk(g, 6) for g in groups]
        anchor, targets = kept[0], kept[1:]
        zd = z.detach()
        za = zd[anchor]
        mus = [sinkhorn_shift(za, zd[t]) for t in targets]
        rows = torch.cat(targets)
        mu = torch.cat(mus)[:, None]
        c = z[rows] - mu
        zt = c / ((c * c).mean(1, keepdim=True).clamp_min(1e-24).sqrt() + 1e-6)
        y = project_joint(zt)
        sq = ((y - labels[rows]) ** 2).sum(1)
        w = torch.cat([torch.full((len(t),), 1.0 / (2 * len(t))) for t in targets])
        return (sq * w).sum()

    losses = []

    def train_step(with_elim):
        encoder.train(); projector.train()
        opt.zero_grad(set_to_none=True)
        z = encoder(x)
        loss = base_objective(projector(z), labels)
        if with_elim:
            loss = loss + elim_term(z)
        loss.backward()
        opt.step()
        losses.append(float(loss))

    def infer():
        encoder.eval(); projector.eval()
        with torch.no_grad():
            projector(encoder(x)).numpy()

    fn = {"baseline": lambda: train_step(False), "elim": lambda: train_step(True), "infer": infer}[args.workload]
    for _ in range(args.warmup):
        fn()
    walls = []
    c0 = time.process_time()
    for _ in range(args.reps):
        t0 = time.perf_counter()
        fn()
        walls.append((time.perf_counter() - t0) * 1000.0)
    cpu = (time.process_time() - c0) * 1000.0
    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(), "workload": args.workload, "batch": B,
        "median_ms": statistics.median(walls), "min_ms": min(walls), "reps": len(walls),
        "cpu_per_wall": cpu / sum(walls), "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "losses": [losses[args.warmup], losses[-1]] if losses else [],
    }))


if __name__ == "__main__":
    main()
