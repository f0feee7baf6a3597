/**
 * The engine worker of the Vite-bundled page: selects `gpujs` from the package entry (`elim-ts`)
 * as a program would, runs a matmul [2, 4] . [4, 4] (four columns per thread on WebGPU) and
 * reads it back.
 */
import { selectBackend } from 'elim-ts';

const post = (m: unknown) => (globalThis as unknown as { postMessage: (m: unknown) => void }).postMessage(m);
const logs: string[] = [];
const run = async () => {
  const b = await selectBackend('gpujs', (m) => logs.push(m));
  const a = b.upload(Float32Array.from({ length: 8 }, (_, i) => i + 1));
  const c = b.upload(Float32Array.from({ length: 16 }, (_, i) => i - 4));
  const y = b.matmul(a, [1, 2, 4], c, [1, 4, 4], false, false);
  const values = Array.from(await (b.downloadAsync ? b.downloadAsync(y) : Promise.resolve(b.download(y))));
  post({ kernelClass: b.kernelClass, values, logs });
};
run().catch((e: unknown) => post({ error: String(e), logs }));
