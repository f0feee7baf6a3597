/** Short human-readable renderings for terminal output. */
import type { VaMetrics } from '../train/evaluate.js';

export const fmtMetrics = (m: VaMetrics): string =>
  (['valence', 'arousal'] as const)
    .map((a) => `${a} RMSE ${m[a].rmse.toFixed(3)} SAGR ${m[a].sagr.toFixed(3)} PCC ${m[a].pcc.toFixed(3)} CCC ${m[a].ccc.toFixed(3)}`)
    .join(' | ');
