/** What the playground page exposes as globalThis.__playground for the test to read. */

export interface Metrics {
  valence: { ccc: number };
  arousal: { ccc: number };
}
export interface RunProbe {
  step: number;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  steadyImagesPerSecond: number;
  withValidationImagesPerSecond: number;
  validations: Array<{ step: number; heldOut: Metrics; train: Metrics }>;
}
export interface Probe {
  phase: string;
  error?: string;
  backend?: { name: string; kernelClass: string; crossOriginIsolated: boolean };
  runs: Record<string, RunProbe>;
  charts: Record<string, Array<{ name: string; points: Array<[number, number]> }>>;
  transport?: { plan: number[]; a: number[]; b: number[]; rowSums: number[]; shift: number[]; features: string; n: number; m: number };
  predict?: { step?: number; error?: string; predictions?: Array<{ name: string; valence: number; arousal: number }> };
  benchmark?: { train: number; heldOut: number };
}
