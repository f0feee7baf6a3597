// Lint: eslint's and typescript-eslint's recommended rules (no type information, so it stays fast),
// plus the import boundaries that are the architecture: pipelines -> lib <- kernels; lib runs anywhere
// a backend does (no gpu.js, jimp or node:*); kernels know nothing of ELIM; training never imports the CLI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbid = (files, patterns) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: { 'no-restricted-imports': ['error', { patterns: patterns.map(([regex, message]) => ({ regex, message })) }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runs/**', 'bench/results/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks an argument or binding kept for its position or its type only
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // functions stringified into eval workers: they reach modules through `require` and hold
    // untyped objects from another realm (Dawn's WebGPU, a wasm instance)
    files: ['kernels/gpujs/webgpu/worker-main.ts', 'kernels/cpu/wasm/pool.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  forbid(
    ['lib/**/*.ts'],
    [
      ['(^|/)(kernels|pipelines)/', 'lib/ is the engine: it imports neither kernels/ nor pipelines/'],
      ['^node:', 'lib/ runs in browsers too: no node:* modules'],
      ['^(gpu\\.js|jimp)($|/)', 'lib/ knows no GPU.js and no image codec'],
    ],
  ),
  forbid(['kernels/**/*.ts'], [['(^|/)pipelines/', 'kernels know nothing of ELIM: no pipelines/']]),
  forbid(['pipelines/train/**/*.ts'], [['(^|/)cli/', 'training is a library: it must not import the CLI']]),
);
