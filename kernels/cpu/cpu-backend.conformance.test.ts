/**
 * The CPU backend (fast float32 heavy kernels + reference) against the reference kernels: once on
 * one thread, once on two with every heavy call split over the worker pool (min flops 0), so the
 * fast kernels' threaded path is held to the same definition.
 */
import { describeBackendConformance } from '../conformance/backend.test-helpers.js';
import { createCpuBackend } from './cpu-backend.js';
import { setFastParallelMinFlops } from './fast/index.js';

describeBackendConformance(() => createCpuBackend({ threads: 1 }), { tolerance: 1e-5, label: 'cpu, 1 thread' });
describeBackendConformance(
  () => {
    setFastParallelMinFlops(0);
    return createCpuBackend({ threads: 2 });
  },
  { tolerance: 1e-5, label: 'cpu, 2 threads, every call split' },
);
