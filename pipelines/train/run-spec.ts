/** One training run, resolved: what the CLI's options (or a caller's code) ask the run folder to do. */
import type { ElimConfig } from '../config.js';
import type { Method } from './elim-objective.js';
import type { TrainSettings } from './trainer.js';

export interface RunSpec {
  readonly method: Method;
  readonly settings: TrainSettings;
  readonly elim: ElimConfig;
  readonly backend: 'auto' | 'cpu' | 'gpujs';
  readonly out: string;
  readonly resume: boolean;
  readonly plots: boolean;
}
