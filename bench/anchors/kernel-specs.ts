/** The kernel workloads bench/kernels.ts times on every engine (and the anchors reproduce). */

export interface MatmulSpec {
  readonly kind: 'matmul';
  /** Square n x n times n x n. */
  readonly n: number;
}

export interface ConvSpec {
  readonly kind: 'conv2d-fwd' | 'conv2d-bwd-input' | 'conv2d-bwd-filter';
  readonly N: number;
  readonly C: number;
  readonly O: number;
  readonly H: number;
  readonly W: number;
  /** Square kernel, stride 1. */
  readonly K: number;
  readonly pad: number;
}

export type KernelSpec = MatmulSpec | ConvSpec;

export const convOut = (s: ConvSpec): [number, number] => [s.H + 2 * s.pad - s.K + 1, s.W + 2 * s.pad - s.K + 1];

export const specFlops = (s: KernelSpec): number => {
  if (s.kind === 'matmul') return 2 * s.n ** 3;
  const [oh, ow] = convOut(s);
  return 2 * s.N * s.O * s.C * s.K * s.K * oh * ow;
};

export const specName = (s: KernelSpec): string =>
  s.kind === 'matmul' ? `matmul ${s.n}` : `${s.kind.replace('conv2d-', 'conv2d ')} b${s.N} ${s.C}->${s.O} ${s.H}x${s.W} ${s.K}x${s.K} pad ${s.pad}`;
