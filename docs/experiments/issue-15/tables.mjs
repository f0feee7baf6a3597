// Markdown tables of an issue #15 grid from its compare.json: held-out CCC of every method, with
// and without test-time identity matching (+ttm), paired differences against the regularised
// baseline (the compare's own reference) and against the plain baseline (variant 'plain').
// usage: node tables.mjs OUT/compare.json
import { readFileSync } from 'node:fs';

const c = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const n = c.seeds.length;
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v) => {
  const m = mean(v);
  return v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
};
const f3 = (x) => (x >= 0 ? '+' : '') + x.toFixed(3);
const diff = (a, b) => {
  const d = a.map((x, i) => x - b[i]);
  const m = mean(d),
    s = std(d),
    se = s / Math.sqrt(d.length);
  return `${f3(m)} ± ${s.toFixed(3)} (t ${(se > 0 ? m / se : 0).toFixed(1)})${se > 0 && Math.abs(m) > 2 * se ? '*' : ''}`;
};
const ref = { V: c.heldOut.baseline.valence.ccc.values, A: c.heldOut.baseline.arousal.ccc.values };
const plainV = c.variants.plain?.heldOut.valence.ccc.values,
  plainA = c.variants.plain?.heldOut.arousal.ccc.values;
const rows = [];
const row = (name, held, train) => {
  const V = held.valence.ccc.values,
    A = held.arousal.ccc.values;
  rows.push([
    name,
    f3(mean(V)),
    name === 'baseline (regularised)' ? '' : diff(V, ref.V),
    plainV && name !== 'plain' ? diff(V, plainV) : '',
    f3(mean(A)),
    name === 'baseline (regularised)' ? '' : diff(A, ref.A),
    plainA && name !== 'plain' ? diff(A, plainA) : '',
    train ? `${f3(train.valence.ccc.mean)} / ${f3(train.arousal.ccc.mean)}` : '',
  ]);
};
row('baseline (regularised)', c.heldOut.baseline, c.train.baseline);
if (c.baselineMatched?.heldOutMatched) row('baseline (regularised) +ttm', c.baselineMatched.heldOutMatched);
for (const [name, v] of Object.entries(c.variants)) {
  row(name, v.heldOut, v.train);
  if (v.heldOutMatched) row(`${name} +ttm`, v.heldOutMatched);
}
const head = ['method', 'held-out CCC V', 'dV vs regularised', 'dV vs plain', 'held-out CCC A', 'dA vs regularised', 'dA vs plain', 'train CCC V / A'];
console.log(
  `${n} paired seeds (${c.seeds.join(', ')}), ${c.steps} iterations; d = paired difference (mean ± std over seeds, t = mean / SE), * = |mean| > 2 SE`,
);
console.log('');
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);

// the criterion, against the regularised baseline: >= +0.05 on both axes, each beyond 2 SE
const beats = (held) => {
  const ok = (x, r) => {
    const d = x.map((v, i) => v - r[i]);
    const m = mean(d),
      se = std(d) / Math.sqrt(d.length);
    return m >= 0.05 && se > 0 && m > 2 * se;
  };
  return ok(held.valence.ccc.values, ref.V) && ok(held.arousal.ccc.values, ref.A);
};
const winners = [];
for (const [name, v] of Object.entries(c.variants)) {
  if (beats(v.heldOut)) winners.push(name);
  if (v.heldOutMatched && beats(v.heldOutMatched)) winners.push(`${name} +ttm`);
}
if (c.baselineMatched?.heldOutMatched && beats(c.baselineMatched.heldOutMatched)) winners.push('baseline (regularised) +ttm');
console.log('');
console.log(`Beats the regularised baseline by >= +0.05 CCC on both axes, beyond 2 SE: ${winners.length ? winners.join(', ') : 'none'}`);
