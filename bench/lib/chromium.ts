/**
 * Debian's chromium and the switches every headless launch here starts with (no background
 * traffic, no first-run work), shared by the browser bench (bench/webgpu-browser/harness.ts)
 * and the browser tests (test/chromium.ts); each adds its own GPU switches after these.
 */
export const CHROMIUM = '/usr/bin/chromium';

export const quietHeadlessArgs: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
