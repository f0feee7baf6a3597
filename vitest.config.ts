import { defineConfig } from 'vitest/config';

// Tests live beside the code (*.test.ts) and in property-tests/ (*.prop.test.ts).
// Threads would compete with our own worker pool on a 2-core machine: use forks, one at a time per file.
export default defineConfig({
  test: {
    include: ['lib/**/*.test.ts', 'kernels/**/*.test.ts', 'pipelines/**/*.test.ts', 'property-tests/**/*.test.ts', 'bench/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
