/**
 * The stages' warnings reach the run's event sink: the objective runs its step under an Env whose
 * logger is `stageLogger(events)` (the trainer passes it; the CLI's sink writes it to
 * events.jsonl and stderr). Here the ELIM step falls back to uniform relevance weights (the
 * anchor's features point away from the target's mean, so mean-dot gives zero mass).
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';
import * as T from '../../lib/ops/index.js';
import { projector } from '../../lib/nn/heads.js';
import { initModule } from '../../lib/nn/module.js';
import { Rng } from '../../lib/rng/rng.js';
import { createEventSink } from '../cli/events.js';
import { makeConfig } from '../config.js';
import { phasesFor } from './elim-objective.js';
import { stageLogger } from './events.js';

useBackend(createCpuBackend({ threads: 1 }));

describe('stage warnings reach the event sink', () => {
  it('a uniform-weight fallback is a stage-warning event and a warning line in the run log', () => {
    const log = path.join(mkdtempSync(path.join(tmpdir(), 'elim-warn-')), 'events.jsonl');
    const events = createEventSink({ logFile: log, quiet: true });
    const config = makeConfig({ domains: 2, topk: 3, warmup: { w1: 0, w2: 1 } });
    const [phase] = phasesFor('elim', config, 4, 0).phases;
    const d = 4;
    // identity a along +e0, identity b along -e0 (slightly spread): <x_i, mean(y)> < 0 on both sides
    const rows = [0.1, 0.2, 0.3, -0.1, -0.2, -0.3].map((s, i) => (i < 3 ? [1, s, 0, 0] : [-1, 0, s, 0]));
    const z = T.tensor(rows.flat(), [6, d]);
    const labels = T.tensor([0.5, 0.1, 0.4, -0.2, 0.3, 0.3, -0.5, 0.2, -0.1, 0.4, -0.3, -0.2], [6, 2]);
    const proj = initModule(projector(d), Rng.fromSeed(1));
    const input = {
      z,
      labels,
      keys: ['a', 'a', 'a', 'b', 'b', 'b'],
      projector: { module: projector(d), params: proj.params, state: proj.state },
      params: proj.params,
      iteration: 10,
      rng: Rng.fromSeed(2),
      logger: stageLogger(events),
    };
    for (let i = 0; i < 2; i++) {
      const out = phase.objective(input);
      expect(E.isRight(out) && out.right.outcome).toBe('elim');
    }
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; message: string; pairs?: number });
    const stage = lines.filter((l) => l.event === 'stage-warning');
    expect(stage).toHaveLength(2); // every occurrence is an event
    expect(stage[0]).toMatchObject({ message: 'relevance weights had zero mass: uniform weights used', pairs: 1 });
    const shown = lines.filter((l) => l.event === 'warning');
    expect(shown).toHaveLength(1); // the human line once per kind
    expect(shown[0].message).toMatch(/relevance weights had zero mass.*"pairs":1/);
  });
});
