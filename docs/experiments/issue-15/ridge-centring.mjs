// Ridge on 16x16 pixels, held-out CCC without and with identity centring, per regime (seeds 7, 8, 9).
// usage (after npm run build, from the repository root): node docs/experiments/issue-15/ridge-centring.mjs '[["disc","strong"],["narrow","mild"]]'
import { synthesizeInMemory } from '../../../dist/pipelines/data/synthetic/synthesize.js';
import { ridgeShortcutCheck } from '../../../dist/pipelines/data/ridge-sanity.js';
const f = (a) => `${a.valence.toFixed(2)} / ${a.arousal.toFixed(2)}`;
for (const [band, style] of JSON.parse(process.argv[2])) {
  const out = [];
  for (const seed of [7, 8, 9]) {
    const ds = synthesizeInMemory({ seed, band, style, size: 64, heldOut: 16 });
    out.push([
      ridgeShortcutCheck(ds, { side: 16, lambda: 1 }).heldOutIdentities,
      ridgeShortcutCheck(ds, { side: 16, lambda: 1, centreByIdentity: true }).heldOutIdentities,
    ]);
  }
  const m = (k, ax) => out.reduce((s, o) => s + o[k][ax], 0) / out.length;
  const d = (ax) => out.map((o) => (o[1][ax] - o[0][ax]).toFixed(2)).join(', ');
  console.log(
    `| ${band} + ${style} | ${m(0, 'valence').toFixed(2)} / ${m(0, 'arousal').toFixed(2)} | ${m(1, 'valence').toFixed(2)} / ${m(1, 'arousal').toFixed(2)} | ${d('valence')} / ${d('arousal')} |`,
  );
}
