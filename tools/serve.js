#!/usr/bin/env node
// serve.js — a small static file server for the repository root, bound to
// 127.0.0.1 only.  Used by `./build-wasm.sh --serve`, the browser tests and
// the UI benchmark.
//   node tools/serve.js [--port N] [--test-hooks]   (N = 0 picks a free port)
// --test-hooks serves the test build of the UI (web/gen/app-test.js, which
// defines globalThis.gradlabTest, and web/gen/worker-src-test.js, whose
// worker also serves the test build's tiny lesson) wherever the page asks
// for web/gen/app.js and web/gen/worker-src.js.
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

/** The product bundles, and what testHooks serves in their place. */
const TEST_BUILD = {
  '/web/gen/app.js': '/web/gen/app-test.js',
  '/web/gen/worker-src.js': '/web/gen/worker-src-test.js',
};

/**
 * Starts the server; resolves to {server, url}.  Either serve(port, host) or
 * serve({root, port, host, testHooks}): root defaults to the repository,
 * port to 8000 (0 picks a free one), host to 127.0.0.1; testHooks = true
 * answers requests for web/gen/app.js and worker-src.js with their test
 * builds (404 if a test build is missing: never the product in its place).
 */
export function serve(port = 8000, host = '127.0.0.1') {
  const o = typeof port === 'object' && port !== null ? port : { port, host };
  const root = resolve(o.root ?? ROOT);
  const testHooks = o.testHooks === true;
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (testHooks && Object.hasOwn(TEST_BUILD, path)) path = TEST_BUILD[path];
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error(), { code: 'ENOENT' });
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
    const h = o.host ?? '127.0.0.1';
    server.listen(o.port ?? 8000, h, () => ok({ server, url: `http://${h}:${server.address().port}/` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve.js: --port must be an integer 0..65535, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  const testHooks = process.argv.includes('--test-hooks');
  serve({ port, testHooks }).then(
    ({ url }) => console.log(`GradLab${testHooks ? ' (test build, web/gen/app-test.js)' : ''} is served at ${url}  (Ctrl-C stops it)`),
    (e) => {
      console.error(`serve.js: cannot listen on 127.0.0.1:${port}: ${e.code || e.message}`);
      process.exit(1);
    },
  );
}
