// serve.test.js — tools/serve.js serves the app's files and nothing else, to
// its own Host only, and answers hostile request targets with 4xx, never 500
// (issue 14, item 8).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../tools/serve.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** GET (or `method`) `path` from the server at `port`, with Host `host` unless given; resolves to {status, body}. */
function get(port, path, { host = `127.0.0.1:${port}`, method = 'GET' } = {}) {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('latin1').on('data', (x) => { body += x; }).on('end', () => ok({ status: res.statusCode, body }));
    });
    req.on('error', fail).end();
  });
}

/** Sends `text` as it stands over a socket; resolves to the status of the answer's first line. */
function raw(port, text) {
  return new Promise((ok, fail) => {
    const s = connect(port, '127.0.0.1', () => s.end(text));
    let got = '';
    s.setEncoding('latin1').on('data', (x) => { got += x; }).on('end', () => ok(Number(got.split(' ')[1]))).on('error', fail);
  });
}

// ---- a fixture tree with every trap the issue names ----------------------------------

let dir, fixture, repo;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradlab-serve-'));
  const root = join(dir, 'root');
  const files = {
    'index.html': '<!doctype html>page',
    'web/app.js': 'export const app = 1;',
    'web/.env': 'SECRET=dotfile',
    '.git/config': '[core] secret-git',
    'node_modules/pkg/index.js': 'secret-node-modules',
    'build/em-cache/x.txt': 'secret-build',
    'package.json': '{"secret": "package"}',
    'bench/chromium.html': '<!doctype html>bench',
    'bench/lib/train.js': 'export const train = 1;',
    'bench/lib/secret.txt': 'secret-bench-text',
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  writeFileSync(join(dir, 'outside.txt'), 'secret-outside');
  symlinkSync('/etc', join(root, 'web/etclink'));
  symlinkSync(join(dir, 'outside.txt'), join(root, 'web/outside.js'));
  symlinkSync('../.git', join(root, 'web/gitlink')); // inside the root, but to what is not served
  symlinkSync('../node_modules/pkg/index.js', join(root, 'web/nm.js'));
  symlinkSync('app.js', join(root, 'web/alias.js')); // inside web/: served
  fixture = await serve({ root, port: 0 });
  repo = await serve({ port: 0 });
});
after(() => {
  fixture?.server.close();
  repo?.server.close();
  rmSync(dir, { recursive: true, force: true });
});
const fport = () => fixture.server.address().port;

// ---- what is served ---------------------------------------------------------------------

test('the app\'s own files are served with their types: the page, web/, the benchmark page and its modules', async () => {
  const port = repo.server.address().port;
  for (const [path, file, type] of [
    ['/', 'index.html', /text\/html/],
    ['/index.html', 'index.html', /text\/html/],
    ['/web/core.js', 'web/core.js', /text\/javascript/],
    ['/web/style.css', 'web/style.css', /text\/css/],
    ['/web/app/main.js?tab=init#x', 'web/app/main.js', /text\/javascript/],
    ['/bench/chromium.html', 'bench/chromium.html', /text\/html/],
    ['/bench/lib/train.js', 'bench/lib/train.js', /text\/javascript/],
  ]) {
    const r = await new Promise((ok, fail) => {
      request({ host: '127.0.0.1', port, path }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (x) => { body += x; }).on('end', () => ok({ res, body }));
      }).on('error', fail).end();
    });
    assert.equal(r.res.statusCode, 200, path);
    assert.match(r.res.headers['content-type'], type, path);
    assert.equal(r.body, readFileSync(join(REPO, file), 'utf8'), path);
  }
});

test('a symlink that stays inside web/ is served; HEAD answers with no body', async () => {
  assert.deepEqual(await get(fport(), '/web/alias.js'), { status: 200, body: 'export const app = 1;' });
  assert.deepEqual(await get(fport(), '/web/app.js', { method: 'HEAD' }), { status: 200, body: '' });
});

test('localhost and 127.0.0.1 with the bound port are both accepted as Host', async () => {
  for (const host of [`localhost:${fport()}`, `127.0.0.1:${fport()}`, `LOCALHOST:${fport()}`]) {
    assert.equal((await get(fport(), '/web/app.js', { host })).status, 200, host);
  }
});

// ---- what is refused --------------------------------------------------------------------

test('symlinks out of the tree are not followed: web/etclink → /etc does not serve /etc/passwd', async () => {
  for (const path of ['/web/etclink/passwd', '/web/etclink/hostname', '/web/outside.js']) {
    const r = await get(fport(), path);
    assert.equal(r.status, 404, path);
    assert.doesNotMatch(r.body, /root:|secret/, path);
  }
});

test('symlinks inside the root to files that are not served (.git, node_modules) are refused', async () => {
  for (const path of ['/web/gitlink/config', '/web/nm.js']) {
    const r = await get(fport(), path);
    assert.equal(r.status, 404, path);
    assert.doesNotMatch(r.body, /secret/, path);
  }
});

test('.git/, node_modules/, build/, dot-files and other repository files are not served', async () => {
  for (const path of ['/.git/config', '/node_modules/pkg/index.js', '/build/em-cache/x.txt', '/package.json',
    '/web/.env', '/bench/lib/secret.txt', '/web/', '/web', '/bench/', '/.git/', '/%2egit/config']) {
    const r = await get(fport(), path);
    assert.equal(r.status, 404, path);
    assert.doesNotMatch(r.body, /secret/, path);
  }
  // the real repository's too (axe-core is loaded by the tests from disk, never through the server)
  const port = repo.server.address().port;
  for (const path of ['/node_modules/axe-core/axe.min.js', '/package.json', '/.git/HEAD', '/.gitignore', '/src/gradlab.h']) {
    assert.equal((await get(port, path)).status, 404, path);
  }
});

test('a Host header other than the bound address (DNS rebinding) is refused with 421', async () => {
  for (const host of ['evil.example', `evil.example:${fport()}`, `127.0.0.1:${fport() + 1}`, '127.0.0.1',
    `localhost.evil.example:${fport()}`, `127.0.0.1:${fport()}.evil.example`]) {
    const r = await get(fport(), '/web/app.js', { host });
    assert.equal(r.status, 421, host);
    assert.doesNotMatch(r.body, /export const app/, host);
  }
  // and an HTTP/1.0 request without Host at all
  assert.equal(await raw(fport(), 'GET /web/app.js HTTP/1.0\r\n\r\n'), 421);
});

test('NUL, malformed %-escapes and dot segments are 400, never 500', async () => {
  for (const path of ['/%00', '/web/app.js%00.html', '/web/%00/app.js', '/%', '/%zz', '/%E0%A4%A', '/%ff', '/%c0%af',
    '/web/%2e%2e/.git/config', '/%2e%2e/%2e%2e/etc/passwd', '/web/..%2f..%2fetc/passwd', '/web/./app.js']) {
    const r = await get(fport(), path);
    assert.equal(r.status, 400, path);
    assert.doesNotMatch(r.body, /secret|root:/, path);
  }
  // targets a browser never sends: dot segments as they stand, an absolute-form URL, '*'
  const host = `Host: 127.0.0.1:${fport()}\r\n`;
  for (const target of ['/../../etc/passwd', '/web/../.git/config', 'http://evil.example/web/app.js', '*']) {
    assert.equal(await raw(fport(), `GET ${target} HTTP/1.1\r\n${host}Connection: close\r\n\r\n`), 400, target);
  }
});

test('methods other than GET and HEAD are refused with 405', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
    assert.equal((await get(fport(), '/web/app.js', { method })).status, 405, method);
  }
});
