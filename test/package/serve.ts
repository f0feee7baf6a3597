/**
 * A tiny loopback static server for the browser test: `/iso/...` is served with the COOP/COEP
 * headers (the page is cross-origin isolated: SharedArrayBuffer, so the CPU backend's Web
 * Worker pool), `/plain/...` without them (one thread). Both map onto the same folder.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.safetensors': 'application/octet-stream' };

export const serve = async (root: string): Promise<{ server: Server; origin: string }> => {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/(iso|plain)(\/.*)$/.exec(url.pathname);
    const rel = m ? m[2]! : url.pathname;
    const file = path.join(root, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    readFile(file).then(
      (body) => {
        const headers: Record<string, string> = {
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'content-length': String(body.length),
        };
        if (m?.[1] === 'iso') Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
        res.writeHead(200, headers).end(body);
      },
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return { server, origin: `http://127.0.0.1:${addr.port}` };
};
