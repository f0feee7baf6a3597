// Node: the program on the CPU backend, the checkpoint from a file path (elim-ts/node); prints JSON.
import { createCpuBackend, useBackend } from 'elim-ts';
import { loadTrainedModel } from 'elim-ts/node';
import { runProgram } from './program.js';

const checkpoint = process.argv[2];
if (!checkpoint) throw new Error('usage: node node-main.js <checkpoint.safetensors>');
const backend = useBackend(createCpuBackend({ threads: 2 }));
const result = await runProgram(backend, (b) => loadTrainedModel(checkpoint, b));
process.stdout.write(JSON.stringify(result) + '\n');
