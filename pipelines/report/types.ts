/**
 * Data the reports consume. `CompareResult` is exactly the shape of a compare run's
 * compare.json (the CLI builds it): per split, per model, per axis, per metric, the values
 * over seeds with their mean and std, `values[i]` belonging to `seeds[i]` so ELIM and the
 * baseline can be paired by seed.
 */
export interface Stat {
  readonly mean: number;
  readonly std: number;
  readonly values: number[];
}

export interface MetricSet {
  readonly rmse: Stat;
  readonly sagr: Stat;
  readonly pcc: Stat;
  readonly ccc: Stat;
}

export interface Axes {
  readonly valence: MetricSet;
  readonly arousal: MetricSet;
}

export interface Split {
  readonly elim: Axes;
  readonly baseline: Axes;
}

export interface CompareResult {
  readonly seeds: number[];
  readonly heldOut: Split;
  readonly train: Split;
}

export type MetricName = keyof MetricSet;
export type AxisName = keyof Axes;

export const METRICS: readonly MetricName[] = ['rmse', 'sagr', 'pcc', 'ccc'];
export const AXES: readonly AxisName[] = ['valence', 'arousal'];

/** Whether a larger value of the metric is better (RMSE is the one where smaller is). */
export const higherIsBetter = (m: MetricName): boolean => m !== 'rmse';

/** One run's final metrics on one split, as plain numbers. */
export interface FinalMetrics {
  readonly split: string;
  readonly valence: Readonly<Record<MetricName, number>>;
  readonly arousal: Readonly<Record<MetricName, number>>;
}

export interface PlotLink {
  readonly title: string;
  /** Path relative to summary.md, e.g. "loss-curves.png". */
  readonly file: string;
}

/** Per-identity row; the same shape `plotPerIdentityErrors` draws. */
export interface IdentityRow {
  readonly identity: string;
  readonly rmseV: number;
  readonly rmseA: number;
  readonly cccV?: number;
  readonly cccA?: number;
  readonly n: number;
}

/** Everything summary.md shows for one run folder; all parts but the title are optional. */
export interface RunSummary {
  readonly title: string;
  /** Free-form configuration; nested objects are flattened to dotted keys. */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly final?: readonly FinalMetrics[];
  readonly perIdentity?: readonly IdentityRow[];
  readonly compare?: CompareResult;
  readonly plots?: readonly PlotLink[];
  readonly notes?: readonly string[];
}
