// One row per regime of the issue #15 grid (second protocol), from r2/compare-REGIME.json:
// the regularised baseline's held-out CCC, and the paired differences against it of test-time
// identity matching on that baseline (+ttm) and of ELIM's paper form (with and without +ttm).
// usage: node summary.mjs [r2 folder]   (prints a markdown table)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? join(import.meta.dirname, 'r2');
const REGIMES = [
  ['disc', 'strong', 'none', 'strong'],
  ['disc', 'mild', 'none', 'mild'],
  ['disc', 'none', 'none', 'none'],
  ['wide', 'strong', 'weak', 'strong'],
  ['wide', 'mild', 'weak', 'mild'],
  ['wide', 'none', 'weak', 'none'],
  ['narrow', 'strong', 'strong', 'strong'],
  ['narrow', 'mild', 'strong', 'mild'],
  ['narrow', 'none', 'strong', 'none'],
];
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};
const f3 = (x) => (x >= 0 ? '+' : '') + x.toFixed(3);
const d = (x, r) => {
  const e = x.map((v, i) => v - r[i]);
  const m = mean(e),
    se = std(e) / Math.sqrt(e.length);
  return `${f3(m)} (t ${(m / se).toFixed(1)})${Math.abs(m) > 2 * se ? '*' : ''}`;
};
const head = ['regime', 'label shift', 'expressive shift', 'n', 'baseline V / A', '+ttm dV / dA', 'paper dV / dA', 'paper +ttm dV / dA'];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => '---').join('|')}|`);
for (const [band, style, label, expr] of REGIMES) {
  const f = join(dir, `compare-${band}-${style}.json`);
  if (!existsSync(f)) {
    console.log(`| \`${band}\` + \`${style}\` | ${label} | ${expr} | 0 | not run | | | |`);
    continue;
  }
  const c = JSON.parse(readFileSync(f, 'utf8'));
  const ref = c.heldOut.baseline;
  const pair = (h) => `${d(h.valence.ccc.values, ref.valence.ccc.values)} / ${d(h.arousal.ccc.values, ref.arousal.ccc.values)}`;
  const p = c.variants.paper;
  console.log(
    `| \`${band}\` + \`${style}\` | ${label} | ${expr} | ${c.seeds.length} | ${f3(mean(ref.valence.ccc.values))} / ${f3(mean(ref.arousal.ccc.values))} | ${pair(c.baselineMatched.heldOutMatched)} | ${pair(p.heldOut)} | ${pair(p.heldOutMatched)} |`,
  );
}
