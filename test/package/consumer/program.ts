// The consumer's program (copied into a fresh project that installed the packed tarball, then
// type-checked strictly, run in Node and bundled for the browser). It imports elim-ts by name
// only. Every figure it returns is compared between Node and the browser backends.
import * as E from 'fp-ts/lib/Either.js';
import {
  Rng,
  ops as T,
  valueAndGrad,
  scope,
  makeConfig,
  makeEnv,
  elimStep,
  withGrad,
  formatElimError,
  predictImages,
  nn,
  ot,
  type Backend,
  type LoadedModel,
  type Tensor,
} from 'elim-ts';

export interface ProgramResult {
  readonly backend: string;
  readonly kernelClass: string;
  /** mean((x w)^2) and its gradient with respect to w. */
  readonly loss: number;
  readonly grad: number[];
  /** Sum of a 192 x 128 x 128 product (6.3 Mflop): large enough that the CPU backend splits it over its threads. */
  readonly bigMatmulSum: number;
  /** The awaited read equals the synchronous one, value for value. */
  readonly asyncReadEqual: boolean;
  readonly sinkhorn: { readonly cost: number; readonly planHead: number[] };
  readonly elim: { readonly loss: number; readonly main: number; readonly va: number; readonly outcome: string; readonly gradSumSq: number };
  readonly al64: { readonly step: number; readonly predictions: number[] };
  /** Live tensors after everything was released (0: no leak). */
  readonly liveHandles: number;
}

const round = (xs: ArrayLike<number>): number[] => Array.from(xs, (v) => Number(v));

export async function runProgram(backend: Backend, loadModel: (b: Backend) => Promise<E.Either<string, LoadedModel>>): Promise<ProgramResult> {
  const live0 = backend.liveHandles();
  const rng = Rng.fromSeed(0);

  // 1. a tensor and a gradient (scope releases every tensor made inside that is not returned)
  const { loss, grad } = scope(() => {
    const x = T.randomNormal([4, 3], rng, 0, 1, { backend });
    const w = T.randomNormal([3, 2], rng, 0, 1, { backend, requiresGrad: true });
    const { out, grads } = valueAndGrad([w], () => ({ loss: T.mean(T.square(T.matmul(x, w))) }));
    const g = grads[0];
    if (!g) throw new Error('no gradient');
    const r = { loss: out.loss.item(), grad: round(g.toArray()) };
    w.dispose(); // a tensor that requires grad is a parameter: kept past scopes, released by hand
    return r;
  });

  // a product big enough for the worker pool, read both ways
  const c = scope(() => T.matmul(T.randomNormal([192, 128], rng, 0, 1, { backend }), T.randomNormal([128, 128], rng, 0, 1, { backend })));
  const sync = c.toArray();
  const later = await c.toArrayAsync();
  const asyncReadEqual = sync.length === later.length && sync.every((v, i) => v === later[i]);
  const bigMatmulSum = scope(() => T.sum(c).item());
  c.dispose();

  // 2. an entropic OT problem (host side, float64)
  const n = 5,
    m = 4;
  const cost = Array.from({ length: n * m }, (_, k) => ((k * 37) % 11) / 10);
  const problem = ot.makeProblem({ cost, n, m, dtype: 'float64' });
  if (E.isLeft(problem)) throw new Error(`makeProblem: ${JSON.stringify(problem.left)}`);
  const solved = ot.sinkhorn(problem.right, { lambda: 5, iterations: 50 });
  if (E.isLeft(solved)) throw new Error(`sinkhorn: ${JSON.stringify(solved.left)}`);
  const sinkhorn = { cost: solved.right.transportCost, planHead: round(solved.right.plan.subarray(0, 6)) };

  // 3. one ELIM step (an MLP encoder and the projector head) with its gradient
  const elim = scope(() => {
    const data = Rng.fromSeed(7);
    const size = 32,
      inDim = 6,
      latent = 8;
    const xs: number[] = [],
      ys: number[] = [],
      keys: string[] = [];
    for (let s = 0; s < size; s++) {
      const id = s % 4;
      const y = [data.uniform() * 2 - 1, data.uniform() * 2 - 1];
      for (let k = 0; k < inDim; k++) xs.push((k % 2 ? y[0]! : y[1]!) * (1 + id / 4) + id / 2 + 0.05 * data.normal());
      ys.push(...y);
      keys.push(`id${id}`);
    }
    const xb = T.tensor(xs, [size, inDim], { backend });
    const labels = T.tensor(ys, [size, 2], { backend });
    const encoder = nn.sequential([nn.linear(inDim, 16), nn.relu(), nn.linear(16, latent)]);
    const projector = nn.projector(latent);
    const init = Rng.fromSeed(1);
    const enc = nn.initModule(encoder, init.fork(), { backend });
    const pr = nn.initModule(projector, init.fork(), { backend });
    const params = nn.mergeTrees({ encoder: enc.params, projector: pr.params });
    const env = makeEnv({ config: makeConfig({ domains: 4, topk: 6 }), seed: 3 });
    const r = withGrad(params, () => {
      const z: Tensor = encoder.apply(nn.subtree(params, 'encoder'), enc.state, xb, { training: true }).y;
      return elimStep({
        z,
        labels,
        keys,
        iteration: 60,
        models: { projector: { module: projector, params: nn.subtree(params, 'projector'), state: pr.state } },
      })(env);
    });
    if (E.isLeft(r)) throw new Error(formatElimError(r.left));
    const o = r.right.out;
    let gradSumSq = 0;
    for (const t of r.right.grads.values()) gradSumSq += T.sum(T.square(t)).item();
    const result = { loss: o.loss.item(), main: o.terms.main.item(), va: o.terms.va.item(), outcome: o.outcome._tag, gradSumSq };
    // parameters and layer state outlive scopes (they are kept): release them explicitly
    for (const tree of [params, enc.state, pr.state, o.state]) nn.disposeTree(tree);
    return result;
  });

  // 4. AL64 inference from a checkpoint written by `elim train`
  const loaded = await loadModel(backend);
  if (E.isLeft(loaded)) throw new Error(loaded.left);
  const model = loaded.right;
  const s = model.model.spec.inputSize;
  const images = new Float32Array(4 * 3 * s * s);
  Rng.fromSeed(11).fillUniform(images, -2, 2);
  const { predictions } = predictImages(model, images, 4, backend);
  nn.disposeTree(model.params);
  nn.disposeTree(model.state);

  return {
    backend: backend.name,
    kernelClass: backend.kernelClass,
    loss,
    grad,
    bigMatmulSum,
    asyncReadEqual,
    sinkhorn,
    elim,
    al64: { step: model.step, predictions: round(predictions) },
    liveHandles: backend.liveHandles() - live0,
  };
}
