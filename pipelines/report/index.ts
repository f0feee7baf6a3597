/** The report API the training CLI calls: PNG plots, t-SNE, text/markdown tables. */
export * from './types.js';
export { plotLossCurves, renderLossCurves, type LossSeries, type LossPlotOptions } from './plot/loss-curves.js';
export { plotVaScatter, renderVaScatter, type VA, type VaScatterOptions } from './plot/va-scatter.js';
export {
  plotPerIdentityErrors,
  renderPerIdentityErrors,
  sortIdentityRows,
  type IdentityErrorRow,
  type PerIdentityOptions,
} from './plot/per-identity-errors.js';
export { plotTsneSideBySide, renderTsneSideBySide, type TsnePanel, type TsnePlotOptions } from './plot/tsne-panels.js';
export { niceNumber, niceTicks, ticksWithin, logTicks, formatTick, formatLogTick, type Ticks } from './plot/nice-ticks.js';
export { tsne, type TsneOptions } from './tsne/tsne.js';
export { conditionalAffinities, jointAffinities, squaredDistances } from './tsne/affinities.js';
export { formatCompareTable, significant, SIGNIFICANCE_SE, statDifference, type CompareTableOptions } from './tables/compare-table.js';
export { markdownSummary, mdTable, mdCell, flattenConfig } from './tables/markdown-summary.js';
export { pairedDifferences, mean, sampleStd, rmse, ccc, type PairedDifferences } from './tables/stats.js';
export { fmt, fmtSigned } from './tables/format-number.js';
export { textTable } from './tables/text-table.js';
export { encodePng } from './raster/png.js';
export { createCanvas, type Canvas, type Rgba } from './raster/canvas.js';
