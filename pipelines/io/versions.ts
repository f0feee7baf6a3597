/** Versions recorded in every run folder (what produced these numbers). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `name` is a package, or a path ending in package.json (this package's own, from dist/pipelines/io). */
const pkgVersion = (name: string): string => {
  try {
    return (require(name.endsWith('package.json') ? name : `${name}/package.json`) as { version: string }).version;
  } catch {
    return 'absent';
  }
};

export const versions = () => ({
  elimTs: pkgVersion('../../../package.json') !== 'absent' ? pkgVersion('../../../package.json') : 'unknown',
  node: process.version,
  gpujs: pkgVersion('gpu.js'),
  fpTs: pkgVersion('fp-ts'),
  jimp: pkgVersion('jimp'),
  platform: `${process.platform}-${process.arch}`,
});

export const version = () => `elim-ts ${versions().elimTs} (node ${process.version})`;
