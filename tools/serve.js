#!/usr/bin/env node
// serve.js — a small static file server for the repository root, bound to
// 127.0.0.1 only.  Used by `./build-wasm.sh --serve` and the browser tests.
//   node tools/serve.js [--port N] [--test-hooks]   (N = 0 picks a free port)
// With test hooks it serves the test build (web/gen/app-test.js and
// worker-src-test.js) wherever the page asks for web/gen/app.js and
// worker-src.js: the same page, with globalThis.gradlabTest.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.md': 'text/plain; charset=utf-8',
};

/** What the test build replaces. */
const TEST_BUILD = {
  '/web/gen/app.js': '/web/gen/app-test.js',
  '/web/gen/worker-src.js': '/web/gen/worker-src-test.js',
};

/** Starts the server; resolves to {server, url}.  testHooks: serve the test build. */
export function serve(port = 8000, host = '127.0.0.1', { testHooks = false } = {}) {
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (testHooks && Object.hasOwn(TEST_BUILD, path)) path = TEST_BUILD[path];
      let file = normalize(join(ROOT, path));
      if (file !== ROOT && !file.startsWith(ROOT + sep)) throw Object.assign(new Error(), { code: 'ENOENT' });
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' || e.code === 'EISDIR' ? 404 : 500, { 'Content-Type': 'text/plain' });
      res.end(e.code === 'ENOENT' ? 'not found\n' : 'error\n');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve.js: --port must be an integer 0..65535, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  serve(port, '127.0.0.1', { testHooks: process.argv.includes('--test-hooks') }).then(
    ({ url }) => console.log(`GradLab is served at ${url}  (Ctrl-C stops it)`),
    (e) => {
      console.error(`serve.js: cannot listen on 127.0.0.1:${port}: ${e.code || e.message}`);
      process.exit(1);
    },
  );
}
