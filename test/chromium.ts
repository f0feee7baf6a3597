/**
 * Debian's chromium for the browser tests (package, playground), through playwright-core. In CI
 * (CI=true) a missing chromium is a failure; elsewhere those tests skip with the reason.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, quietHeadlessArgs } from '../bench/lib/chromium.js';

export { CHROMIUM };
export const haveChromium = existsSync(CHROMIUM);
if (process.env.CI === 'true' && !haveChromium) throw new Error(`CI: ${CHROMIUM} is missing (.ci/run installs Debian's chromium)`);

/** Headless chromium without background traffic; no --disable-gpu (WebGL2 comes from SwiftShader). */
export const launchChromium = (extraArgs: readonly string[] = []): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [...quietHeadlessArgs, '--enable-unsafe-swiftshader', ...extraArgs],
  });
