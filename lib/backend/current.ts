/**
 * The backend new tensors are created on when none is named. lib never imports a backend:
 * the application (CLI, tests) installs one with `useBackend` (see kernels/select.ts).
 */
import { EngineError } from '../errors.js';
import type { Backend } from './backend.js';

let current: Backend | null = null;

export const useBackend = (b: Backend): Backend => {
  current = b;
  return b;
};

export const currentBackend = (): Backend => {
  if (!current)
    throw new EngineError('BackendError', 'currentBackend', 'no backend installed: call useBackend(...) (e.g. with selectBackend() from kernels/select.js)');
  return current;
};
