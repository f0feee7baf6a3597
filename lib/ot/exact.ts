/**
 * Exact (unregularised) OT for small problems, the reference the entropic solvers are tested
 * against (the entropic cost tends to it as lambda grows):
 *  - `hungarian`: min-cost perfect assignment of a square cost (O(n^3), shortest augmenting
 *    paths with potentials); the optimal plan for uniform, equal-size weights.
 *  - `minCostFlow`: general weights, by successive shortest paths (Bellman-Ford on the
 *    residual bipartite graph; reverse edges carry negative costs). Each augmentation empties
 *    a supply, a demand or a reverse edge, so it ends after a few (n+m)^2 steps at most.
 * Both are plain float64 and meant for n, m up to a few dozen.
 */
import * as E from 'fp-ts/lib/Either.js';
import { badParameter, type OtError } from './errors.js';
import { total, type OtProblem } from './problem.js';

export interface ExactOutput {
  /** Row-major n x m optimal plan (float64). */
  readonly plan: Float64Array;
  readonly cost: number;
  readonly method: 'hungarian' | 'min-cost-flow';
}

/** Column assigned to each row of a square n x n cost (row-major), minimising the total. */
export const hungarian = (cost: ArrayLike<number>, n: number): Int32Array => {
  const INF = Infinity;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const rowOfCol = new Int32Array(n + 1); // 1-based row matched to column j; 0 = free
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    rowOfCol[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(INF);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = rowOfCol[j0];
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[rowOfCol[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (rowOfCol[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOfCol[j0] = rowOfCol[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOfRow = new Int32Array(n);
  for (let j = 1; j <= n; j++) colOfRow[rowOfCol[j] - 1] = j - 1;
  return colOfRow;
};

/** Exact plan for general weights with equal totals (successive shortest paths). */
export const minCostFlow = (cost: ArrayLike<number>, n: number, m: number, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array => {
  const supply = Float64Array.from(a);
  const demand = Float64Array.from(b);
  const flow = new Float64Array(n * m);
  const tiny = 1e-15 * Math.max(total(a), total(b));
  const V = n + m;
  const dist = new Float64Array(V);
  const pred = new Int32Array(V);
  // relaxations must beat rounding, or a rounding-level negative cycle could enter the pred tree
  const IMPROVE = 1e-12 * (1 + maxAbs(cost));
  for (let step = 0; step < 4 * (n + m) * (n + m) + 16; step++) {
    dist.fill(Infinity);
    pred.fill(-1);
    for (let i = 0; i < n; i++) if (supply[i] > tiny) dist[i] = 0;
    // Bellman-Ford: rows 0..n-1, columns n..n+m-1
    for (let round = 0; round < V; round++) {
      let changed = false;
      for (let i = 0; i < n; i++) {
        if (dist[i] === Infinity) continue;
        for (let j = 0; j < m; j++) {
          const d = dist[i] + cost[i * m + j];
          if (d < dist[n + j] - IMPROVE) {
            dist[n + j] = d;
            pred[n + j] = i;
            changed = true;
          }
        }
      }
      for (let j = 0; j < m; j++) {
        if (dist[n + j] === Infinity) continue;
        for (let i = 0; i < n; i++) {
          if (flow[i * m + j] <= tiny) continue;
          const d = dist[n + j] - cost[i * m + j];
          if (d < dist[i] - IMPROVE) {
            dist[i] = d;
            pred[i] = n + j;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    let end = -1;
    for (let j = 0; j < m; j++) if (demand[j] > tiny && dist[n + j] < Infinity && (end < 0 || dist[n + j] < dist[n + end])) end = j;
    if (end < 0) break;
    // walk back to the source row, collecting the bottleneck
    let amount = demand[end];
    let node = n + end;
    let hops = 0;
    while (pred[node] >= 0) {
      if (++hops > V) throw new Error('minCostFlow: cycle in the shortest-path tree (non-finite or huge costs?)');
      const prev = pred[node];
      if (node < n) amount = Math.min(amount, flow[node * m + (prev - n)]); // reverse edge col prev -> row node
      node = prev;
    }
    amount = Math.min(amount, supply[node]);
    supply[node] -= amount;
    demand[end] -= amount;
    node = n + end;
    while (pred[node] >= 0) {
      const prev = pred[node];
      if (node >= n) flow[prev * m + (node - n)] += amount;
      else flow[node * m + (prev - n)] -= amount;
      node = prev;
    }
  }
  return flow;
};

const maxAbs = (x: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < x.length; k++) s = Math.max(s, Math.abs(x[k]));
  return s;
};

const planCost = (plan: Float64Array, cost: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < plan.length; k++) s += plan[k] * cost[k];
  return s;
};

const isConstant = (x: ArrayLike<number>) => {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
};

/** Exact OT of a validated problem; its totals must agree (to 1e-9 relative). */
export const exactOt = (p: OtProblem): E.Either<OtError, ExactOutput> => {
  const ta = total(p.a);
  const tb = total(p.b);
  if (Math.abs(ta - tb) > 1e-9 * Math.max(ta, tb)) return E.left(badParameter('b', `total mass ${tb} differs from a's ${ta}; exact OT needs balanced masses`));
  if (p.n === p.m && isConstant(p.a) && isConstant(p.b) && p.a[0] === p.b[0]) {
    const col = hungarian(p.cost, p.n);
    const plan = new Float64Array(p.n * p.m);
    for (let i = 0; i < p.n; i++) plan[i * p.m + col[i]] = p.a[i];
    return E.right({ plan, cost: planCost(plan, p.cost), method: 'hungarian' });
  }
  const plan = minCostFlow(p.cost, p.n, p.m, p.a, p.b);
  return E.right({ plan, cost: planCost(plan, p.cost), method: 'min-cost-flow' });
};
