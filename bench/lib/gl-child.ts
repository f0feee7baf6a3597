/**
 * The command that runs a GL benchmark child: headless-gl needs an X display, so without one
 * (DISPLAY unset) the child runs under `xvfb-run -a` when xvfb-run is installed; otherwise it
 * runs as is (and GPU.js / tfjs report that no GL context exists).
 */
import { spawnSync } from 'node:child_process';

/** Seconds a GL child may run (BENCH_GL_TIMEOUT_S, default 1800: llvmpipe shares the CPUs with everything else). */
export const glTimeoutS = (): number => Number(process.env.BENCH_GL_TIMEOUT_S ?? 1800);

export const hasXvfbRun = (): boolean => spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status === 0;

/**
 * [command, args] running `node <script> <args>` where a GL context can be made. Under xvfb-run
 * the node child runs inside `timeout` (`limitS` seconds): killing xvfb-run on a deadline does not
 * reach its child, which would be left running.
 */
export const glChild = (script: string, args: readonly string[], limitS = glTimeoutS()): { command: string; args: string[]; via: string } => {
  if (process.env.DISPLAY) return { command: process.execPath, args: [script, ...args], via: `DISPLAY=${process.env.DISPLAY}` };
  if (hasXvfbRun()) return { command: 'xvfb-run', args: ['-a', 'timeout', String(limitS), process.execPath, script, ...args], via: 'xvfb-run -a' };
  return { command: process.execPath, args: [script, ...args], via: 'no display, no xvfb-run' };
};
