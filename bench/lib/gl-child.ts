/**
 * The command that runs a GL benchmark child: headless-gl needs an X display, so without one
 * (DISPLAY unset) the child runs under `xvfb-run -a` when xvfb-run is installed; otherwise it
 * runs as is (and GPU.js / tfjs report that no GL context exists).
 */
import { spawnSync } from 'node:child_process';

export const hasXvfbRun = (): boolean => spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status === 0;

/** [command, args] running `node <script> <args>` where a GL context can be made. */
export const glChild = (script: string, args: readonly string[]): { command: string; args: string[]; via: string } => {
  if (process.env.DISPLAY) return { command: process.execPath, args: [script, ...args], via: `DISPLAY=${process.env.DISPLAY}` };
  if (hasXvfbRun()) return { command: 'xvfb-run', args: ['-a', process.execPath, script, ...args], via: 'xvfb-run -a' };
  return { command: process.execPath, args: [script, ...args], via: 'no display, no xvfb-run' };
};
