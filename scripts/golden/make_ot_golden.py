"""Golden numbers for lib/ot, lib/metrics and lib/losses from independent implementations.

Run from the repository root with the Debian interpreter (POT, NumPy, PyTorch installed):
    /usr/bin/python3 scripts/golden/make_ot_golden.py
Writes test/fixtures/golden/{ot,metrics,loss}.json. CI never runs this; the tests read the JSON.
  - alg1: the appendix's Alg. 1 in NumPy (K = exp(-lambda C), K~ = diag(1/a) K, u0 = 1/n,
          u <- 1/(K~ (b/(K^T u))), guards as the release), T = 5, guard 1e-6 and 0.
  - pot:  ot.sinkhorn (reg = 1/lambda) run to convergence; ot.emd2 exact cost.
  - metrics: NumPy population RMSE/PCC/CCC, SAGR under two zero conventions.
  - loss: PyTorch float64 autograd of MSE_v + MSE_a + 0.5 (L_PCC + L_CCC), eps = 1e-8 on variances.
"""
import json
import numpy as np
import ot
import torch

rng = np.random.default_rng(20221128)


def cosine_cost(x, y):
    xn = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-8)
    yn = y / np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-8)
    return np.clip(1.0 - xn @ yn.T, 0.0, 2.0)


def sqeuclid_cost(x, y):
    return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)


def relevance(x, y, mode):
    if mode == "mean-dot":
        a = np.maximum(x @ y.mean(0), 0.0)
        b = np.maximum(y @ x.mean(0), 0.0)
    else:
        a = np.linalg.norm(x, axis=1)
        b = np.linalg.norm(y, axis=1)
    return a * len(a) / a.sum(), b * len(b) / b.sum()


def alg1(C, a, b, lam, T, guard):
    n = C.shape[0]
    K = np.exp(-lam * C)
    Kt = (1.0 / (a + guard))[:, None] * K
    u = np.full(n, 1.0 / n)
    for _ in range(T):
        w = b / (K.T @ u + guard)
        u = 1.0 / (Kt @ w + guard)
    v = b / (K.T @ u + guard)
    return u, v, u[:, None] * K * v[None, :]


problems = []
for (n, m, d, mode) in [(10, 10, 16, "mean-dot"), (6, 8, 8, "norm"), (7, 5, 4, "norm"), (3, 3, 2, "mean-dot")]:
    x = rng.normal(size=(n, d)) + 0.5
    y = rng.normal(size=(m, d)) + 0.5
    a, b = relevance(x, y, mode)
    b = b * a.sum() / b.sum()
    for metric in ["cosine", "sqeuclidean"]:
        C = cosine_cost(x, y) if metric == "cosine" else sqeuclid_cost(x, y)
        for lam in [5.0, 20.0] if metric == "cosine" else [1.0]:
            entry = dict(n=n, m=m, d=d, x=x.ravel().tolist(), y=y.ravel().tolist(), relevance=mode, metric=metric,
                         cost=C.ravel().tolist(), a=a.tolist(), b=b.tolist(), lam=lam)
            for guard, key in [(1e-6, "alg1_guard"), (0.0, "alg1_noguard")]:
                u, v, X = alg1(C, a, b, lam, 5, guard)
                entry[key] = dict(u=u.tolist(), v=v.tolist(), plan=X.ravel().tolist(),
                                  transportCost=float((X * C).sum()), shift=(X * C).sum(0).tolist())
            P = ot.sinkhorn(a, b, C, reg=1.0 / lam, numItermax=200000, stopThr=1e-15)
            entry["pot_plan"] = np.asarray(P).ravel().tolist()
            entry["pot_cost"] = float((P * C).sum())
            entry["emd_cost"] = float(ot.emd2(a, b, C))
            problems.append(entry)

with open("test/fixtures/golden/ot.json", "w") as f:
    json.dump(dict(generator="scripts/golden/make_ot_golden.py", pot=ot.__version__, numpy=np.__version__, problems=problems), f)


def pop_metrics(y, p):
    my, mp = y.mean(), p.mean()
    vy, vp = ((y - my) ** 2).mean(), ((p - mp) ** 2).mean()
    cov = ((y - my) * (p - mp)).mean()
    return dict(rmse=float(np.sqrt(((y - p) ** 2).mean())), pcc=float(cov / np.sqrt(vy * vp)),
                ccc=float(2 * cov / (vy + vp + (my - mp) ** 2)),
                sagr_sign=float((np.sign(y) == np.sign(p)).mean()),
                sagr_release=float(((np.sign(y) == np.sign(p)) & (y != 0)).mean()))


cases = []
for n in [5, 17, 64]:
    yt = np.round(rng.uniform(-1, 1, size=(n, 2)), 1)  # rounding makes some exact zeros
    yp = np.clip(yt * 0.6 + rng.normal(scale=0.3, size=(n, 2)), -1, 1)
    yp[0, 0] = 0.0
    cases.append(dict(yTrue=yt.tolist(), yPred=yp.tolist(), valence=pop_metrics(yt[:, 0], yp[:, 0]),
                      arousal=pop_metrics(yt[:, 1], yp[:, 1])))
with open("test/fixtures/golden/metrics.json", "w") as f:
    json.dump(dict(generator="scripts/golden/make_ot_golden.py", cases=cases), f)


def torch_loss(scores, labels, unbiased, eps=1e-8):
    x = torch.tensor(scores, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(labels, dtype=torch.float64)
    n = x.shape[0]
    mse = ((x - y) ** 2).mean(0)
    mx, my = x.mean(0), y.mean(0)
    cov = ((x - mx) * (y - my)).mean(0)
    s2x = x.var(0, unbiased=unbiased) + eps
    s2y = y.var(0, unbiased=unbiased) + eps
    pcc = cov / torch.sqrt(s2x * s2y)
    ccc = 2 * cov / (s2x + s2y + (mx - my) ** 2)
    lp, lc = 1 - pcc.mean(), 1 - ccc.mean()
    total = mse[0] + mse[1] + 0.5 * (lp + lc)
    total.backward()
    return dict(total=total.item(), mseValence=mse[0].item(), mseArousal=mse[1].item(), pccLoss=lp.item(),
                cccLoss=lc.item(), grad=x.grad.numpy().tolist())


loss_cases = []
for n in [4, 16]:
    lab = rng.uniform(-1, 1, size=(n, 2))
    sc = lab * 0.5 + rng.normal(scale=0.2, size=(n, 2))
    for std in ["population", "unbiased"]:
        loss_cases.append(dict(labels=lab.tolist(), scores=sc.tolist(), std=std, expected=torch_loss(sc, lab, std == "unbiased")))
with open("test/fixtures/golden/loss.json", "w") as f:
    json.dump(dict(generator="scripts/golden/make_ot_golden.py", torch=torch.__version__, cases=loss_cases), f)
print("wrote test/fixtures/golden/{ot,metrics,loss}.json")
