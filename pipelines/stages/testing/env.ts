/** A CPU-backend Env for stage tests (float32 unless asked). */
import { createCpuBackend } from '../../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../../lib/backend/current.js';
import { makeConfig, type ConfigOverrides } from '../../config.js';
import { makeEnv, type Env } from '../../env.js';

export const testEnv = (overrides: ConfigOverrides = {}, seed = 7): Env => {
  const backend = useBackend(createCpuBackend());
  return makeEnv(backend, { config: makeConfig(overrides), seed });
};
