/**
 * An Env for stage tests (float32 unless asked). It holds no backend (stages compute on their
 * inputs' backend): a test installs one itself (`useBackend(createCpuBackend())`), so this
 * support module stays on the pipelines side of the pipelines -> lib <- kernels boundary.
 */
import { makeConfig, type ConfigOverrides } from '../../config.js';
import { makeEnv, type Env } from '../../env.js';

export const testEnv = (overrides: ConfigOverrides = {}, seed = 7): Env => makeEnv({ config: makeConfig(overrides), seed });
