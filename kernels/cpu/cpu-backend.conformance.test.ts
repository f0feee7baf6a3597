/** The CPU backend (fast float32 heavy kernels + reference) against the reference kernels. */
import { describeBackendConformance } from '../backend-conformance.js';
import { createCpuBackend } from './cpu-backend.js';

describeBackendConformance(() => createCpuBackend(), { tolerance: 1e-5, label: 'cpu' });
