#!/usr/bin/env node
// serve.js — a small static file server for the app's files in the
// repository (index.html, web/, the benchmark page), bound to 127.0.0.1 only.
// Used by `./build-wasm.sh --serve`, the browser tests and the benchmarks.
// It is reachable by any page the user's browser opens, so it serves no file
// outside that list (symlinks resolved), and answers only to its own Host.
//   node tools/serve.js [--port N] [--test-hooks]   (N = 0 picks a free port)
// --test-hooks serves the test build of the UI (web/gen/app-test.js, which
// defines globalThis.gradlabTest, and web/gen/worker-src-test.js, whose
// worker also serves the test build's tiny lesson) wherever the page asks
// for web/gen/app.js and web/gen/worker-src.js.
import { createServer } from 'node:http';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
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
  '.woff2': 'font/woff2',
  '.md': 'text/plain; charset=utf-8',
};

/** The product bundles, and what testHooks serves in their place. */
const TEST_BUILD = {
  '/web/gen/app.js': '/web/gen/app-test.js',
  '/web/gen/worker-src.js': '/web/gen/worker-src-test.js',
};

/**
 * What is served, as paths relative to the root ('/'-separated): the page,
 * everything under web/ (sources, styles and web/gen's bundles) and the
 * benchmark's page and its in-page modules (bench/lib/chromium.js imports
 * bench/lib/train.js, which imports workloads.js).  Nothing else — no .git/,
 * no node_modules/, no build/ — and no dot-file anywhere.  Checked on the
 * requested path and again on the real path once symlinks are resolved.
 */
export function servable(rel) {
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p.startsWith('.'))) return false;
  return rel === 'index.html'
    || (parts[0] === 'web' && parts.length > 1)
    || rel === 'bench/chromium.html'
    || (parts.length === 3 && parts[0] === 'bench' && parts[1] === 'lib' && parts[2].endsWith('.js'));
}

/** An answer short of the file: an HTTP status and its one-line text. */
class Refusal extends Error {
  constructor(status, text) { super(text); this.status = status; }
}

/**
 * The root-relative path a request's target names, or a Refusal: 400 for a
 * target that is not an origin-form path, a malformed %-escape, a NUL or a
 * '.'/'..' segment (browsers remove those before asking); 404 for what is
 * not servable().
 */
export function requestPath(target) {
  if (typeof target !== 'string' || !target.startsWith('/')) throw new Refusal(400, 'bad request target');
  const raw = target.replace(/[?#].*$/s, '');
  let path;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new Refusal(400, 'malformed %-escape');
  }
  if (path.includes('\0')) throw new Refusal(400, 'NUL in path');
  const rel = path === '/' ? 'index.html' : path.slice(1);
  if (rel.split('/').some((p) => p === '.' || p === '..')) throw new Refusal(400, 'dot segment in path');
  if (!servable(rel)) throw new Refusal(404, 'not found');
  return rel;
}

/**
 * The Host values a request may carry: the bound address, localhost and
 * 127.0.0.1, each with the port.  Anything else — a DNS-rebinding page's
 * own name above all — is refused, so another site can never read the
 * server's answers from a user's browser.
 */
function hostsFor(host, port) {
  const names = new Set(['localhost', '127.0.0.1', host.includes(':') ? `[${host}]` : host]);
  const out = new Set();
  for (const n of names) {
    out.add(`${n}:${port}`.toLowerCase());
    if (port === 80) out.add(n.toLowerCase());
  }
  return out;
}

/**
 * Starts the server; resolves to {server, url}.  Either serve(port, host) or
 * serve({root, port, host, testHooks}): root defaults to the repository,
 * port to 8000 (0 picks a free one), host to 127.0.0.1; testHooks = true
 * answers requests for web/gen/app.js and worker-src.js with their test
 * builds (404 if a test build is missing: never the product in its place).
 * Serves only servable() files whose real path (symlinks resolved) lies in
 * the root, only GET and HEAD, only to requests whose Host is hostsFor().
 */
export async function serve(port = 8000, host = '127.0.0.1') {
  const o = typeof port === 'object' && port !== null ? port : { port, host };
  const root = await realpath(resolve(o.root ?? ROOT));
  const testHooks = o.testHooks === true;
  let hosts = new Set();
  const server = createServer(async (req, res) => {
    try {
      if (!hosts.has(String(req.headers.host ?? '').toLowerCase())) throw new Refusal(421, 'unknown Host');
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new Refusal(405, 'method not allowed');
      let rel = requestPath(req.url);
      if (testHooks && Object.hasOwn(TEST_BUILD, `/${rel}`)) rel = TEST_BUILD[`/${rel}`].slice(1);
      let file;
      try {
        file = await realpath(join(root, rel));
      } catch (e) {
        throw ['ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES'].includes(e.code) ? new Refusal(404, 'not found') : e;
      }
      const real = relative(root, file).split(sep).join('/');
      // a symlink may point out of the root, or inside it to what is not served
      if (real === '..' || real.startsWith('../') || !servable(real)) {
        throw new Refusal(404, 'not found');
      }
      if (!(await stat(file)).isFile()) throw new Refusal(404, 'not found');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(body);
    } catch (e) {
      const status = e instanceof Refusal ? e.status : 500;
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(`${status === 500 ? 'error' : e.message}\n`);
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    const h = o.host ?? '127.0.0.1';
    server.listen(o.port ?? 8000, h, () => {
      hosts = hostsFor(h, server.address().port);
      ok({ server, url: `http://${h.includes(':') ? `[${h}]` : h}:${server.address().port}/` });
    });
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
