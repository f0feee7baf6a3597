/** Which checkpoints a run may resume (issue #16): the step within the run, the same seed, method and config. */
import { describe, expect, it } from 'vitest';
import { resumeProblem } from './resume-check.js';

const config = (o: { method?: string; lr?: number; steps?: number; logEvery?: number; lambda?: number } = {}) =>
  JSON.stringify({
    method: o.method ?? 'elim',
    elim: { transport: { lambda: o.lambda ?? 5 } },
    settings: { steps: o.steps ?? 8, logEvery: o.logEvery ?? 1, optimizer: { lr: o.lr ?? 1e-3 } },
  });
const mine = { steps: 8, metadata: { seed: '0', config: config() } };

describe('resumeProblem', () => {
  it('accepts its own checkpoint, also with more steps or another log cadence', () => {
    expect(resumeProblem(4, { seed: '0', config: config() }, mine)).toBeUndefined();
    expect(resumeProblem(8, { seed: '0', config: config({ steps: 4, logEvery: 10 }) }, mine)).toBeUndefined();
  });
  it('refuses a step beyond the run or not an iteration count', () => {
    expect(resumeProblem(1e6, { seed: '0', config: config() }, mine)).toMatch(/step 1000000, beyond this run's --steps 8/);
    expect(resumeProblem(2 ** 53, { seed: '0', config: config() }, mine)).toMatch(/not an iteration count|beyond/);
    expect(resumeProblem(NaN, { seed: '0', config: config() }, mine)).toMatch(/not an iteration count/);
  });
  it('names the field that differs: seed, method, or any setting', () => {
    expect(resumeProblem(4, { seed: '1', config: config() }, mine)).toMatch(/--seed 1, this run has --seed 0/);
    expect(resumeProblem(4, { seed: '0', config: config({ method: 'baseline' }) }, mine)).toMatch(/method = "baseline", this run has "elim"/);
    expect(resumeProblem(4, { seed: '0', config: config({ lr: 0.1 }) }, mine)).toMatch(/settings\.optimizer\.lr = 0\.1/);
    expect(resumeProblem(4, { seed: '0', config: config({ lambda: 7 }) }, mine)).toMatch(/elim\.transport\.lambda = 7/);
    expect(resumeProblem(4, { seed: '0' }, mine)).toMatch(/records no config/);
  });
});
