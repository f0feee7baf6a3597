/** The run's optimiser, schedule and parameter groups, from a serialisable description. */
import { adam } from '../../lib/optim/adam.js';
import { sgd } from '../../lib/optim/sgd.js';
import { constantSchedule, cosine, multiStep } from '../../lib/optim/schedules.js';
import type { Optimizer } from '../../lib/optim/optimizer.js';

export interface OptimizerSettings {
  readonly kind: 'adam' | 'sgd';
  readonly lr: number;
  /** Adam betas (the release: 0.5, 0.99). */
  readonly betas: readonly [number, number];
  /** SGD momentum. */
  readonly momentum: number;
  readonly weightDecay: number;
  /** The projector's learning rate relative to the encoder's (the release: 0.2). */
  readonly projectorLrScale: number;
  readonly schedule: 'constant' | 'multistep' | 'cosine';
  /** MultiStepLR milestones (the release: 500, 2500, 5000, 7500, 10000) and gamma (0.8). */
  readonly milestones: readonly number[];
  readonly gamma: number;
}

export const makeOptimizer = (o: OptimizerSettings, totalSteps: number): Optimizer => {
  const schedule = o.schedule === 'multistep' ? multiStep(o.milestones, o.gamma) : o.schedule === 'cosine' ? cosine(totalSteps) : constantSchedule;
  const common = {
    lr: o.lr,
    weightDecay: o.weightDecay,
    schedule,
    groups: [{ match: (n: string) => n.startsWith('projector.'), lrScale: o.projectorLrScale }],
  };
  return o.kind === 'sgd' ? sgd({ ...common, momentum: o.momentum }) : adam({ ...common, betas: [o.betas[0], o.betas[1]] });
};
