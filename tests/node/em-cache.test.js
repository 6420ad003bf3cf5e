// em-cache.test.js — tools/em-cache.sh, build-wasm.sh's copy of the emscripten
// cache for non-root builds (issue 14, item 3): an interrupted or concurrent
// first build must never leave a partial copy that fails every later build
// ("FROZEN_CACHE is set, but cache file is missing").  Run on a small fake
// cache in a temporary directory, so it needs neither emcc nor 750 MB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../tools/em-cache.sh', import.meta.url));
const STAMP = '.gradlab-cache-complete';

/** Every file under dir, as sorted relative paths. */
function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name)); else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

const run = (src, dest) => spawnSync('bash', [SCRIPT, src, dest], { encoding: 'utf8', timeout: 30000 });
const runAsync = (src, dest) => new Promise((ok) => {
  const c = spawn('bash', [SCRIPT, src, dest]);
  let err = '';
  c.stderr.setEncoding('utf8').on('data', (x) => { err += x; });
  c.on('close', (code) => ok({ code, err }));
});

let dir, src, expected;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradlab-em-cache-'));
  src = join(dir, 'packaged');
  // the shape of Debian's cache: sysroot headers and libraries, the install stamp
  const layout = {
    'sysroot_install.stamp': '',
    'sysroot/include/stdio.h': '/* stdio */',
    'sysroot/include/sys/types.h': '/* types */',
    'sysroot/lib/wasm32-emscripten/libc.a': 'libc'.repeat(1000),
    'sysroot/lib/wasm32-emscripten/libcompiler_rt.a': 'rt'.repeat(1000),
    'sysroot/bin/tool': '#!/bin/sh',
  };
  for (let i = 0; i < 200; i++) layout[`sysroot/lib/wasm32-emscripten/lto/obj${i}.o`] = `object ${i}`;
  for (const [p, text] of Object.entries(layout)) {
    mkdirSync(join(src, p, '..'), { recursive: true });
    writeFileSync(join(src, p), text);
  }
  // read-only like the packaged cache (root may still write: the copy must be writable anyway)
  for (const d of ['sysroot/include', 'sysroot/lib/wasm32-emscripten/lto']) chmodSync(join(src, d), 0o555);
  expected = [...files(src), STAMP].sort();
});
after(() => {
  spawnSync('chmod', ['-R', 'u+w', dir]);
  rmSync(dir, { recursive: true, force: true });
});

test('a first copy is complete, stamped and writable, with no temporary directory left', () => {
  const dest = join(dir, 'a', 'em-cache');
  const r = run(src, dest);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(files(dest), expected);
  assert.equal(readFileSync(join(dest, 'sysroot/lib/wasm32-emscripten/libc.a'), 'utf8'), 'libc'.repeat(1000));
  writeFileSync(join(dest, 'sysroot/include/cache.lock'), ''); // emcc writes its lock in the cache
  assert.deepEqual(readdirSync(join(dir, 'a')).sort(), ['em-cache', 'em-cache.lock']);
});

test('a complete copy is left alone: a second build copies nothing', () => {
  const dest = join(dir, 'b', 'em-cache');
  assert.equal(run(src, dest).status, 0);
  writeFileSync(join(dest, 'built-by-emcc.txt'), 'kept'); // what emcc adds to its cache stays
  const r = run(src, dest);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing copied, nothing said');
  assert.equal(readFileSync(join(dest, 'built-by-emcc.txt'), 'utf8'), 'kept');
});

test('a partial copy (an interrupted first build: files missing, no stamp) is replaced by a complete one', () => {
  const dest = join(dir, 'c', 'em-cache');
  // what `cp -r` killed half-way left: the headers, a few libraries, no install stamp
  mkdirSync(join(dest, 'sysroot/include'), { recursive: true });
  writeFileSync(join(dest, 'sysroot/include/stdio.h'), '/* stdio */');
  mkdirSync(join(dest, 'sysroot/lib/wasm32-emscripten/lto'), { recursive: true });
  writeFileSync(join(dest, 'sysroot/lib/wasm32-emscripten/lto/obj0.o'), 'obj'); // truncated
  const r = run(src, dest);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /incomplete/);
  assert.deepEqual(files(dest), expected);
  assert.equal(readFileSync(join(dest, 'sysroot/lib/wasm32-emscripten/lto/obj0.o'), 'utf8'), 'object 0');
  assert.deepEqual(readdirSync(join(dir, 'c')).sort(), ['em-cache', 'em-cache.lock'], 'no copy nested, none left over');
});

test('a temporary directory left by a killed copy is removed, and the copy made', () => {
  const dest = join(dir, 'd', 'em-cache');
  mkdirSync(join(`${dest}.tmp.Abc123`, 'sysroot/include'), { recursive: true });
  writeFileSync(join(`${dest}.tmp.Abc123`, 'sysroot/include/stdio.h'), '/* half */');
  chmodSync(join(`${dest}.tmp.Abc123`, 'sysroot/include'), 0o555);
  const r = run(src, dest);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(files(dest), expected);
  assert.deepEqual(readdirSync(join(dir, 'd')).sort(), ['em-cache', 'em-cache.lock']);
});

test('four concurrent first builds all succeed and leave one complete copy', async () => {
  const dest = join(dir, 'e', 'em-cache');
  const rs = await Promise.all([1, 2, 3, 4].map(() => runAsync(src, dest)));
  for (const r of rs) assert.equal(r.code, 0, r.err);
  assert.equal(rs.filter((r) => /copying/.test(r.err)).length, 1, 'exactly one of them copied');
  assert.deepEqual(files(dest), expected);
  assert.deepEqual(readdirSync(join(dir, 'e')).sort(), ['em-cache', 'em-cache.lock']);
});

test('a missing source cache is one line on stderr and exit 1, and creates no copy', () => {
  const dest = join(dir, 'f', 'em-cache');
  const r = run(join(dir, 'nowhere'), dest);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^em-cache\.sh: no emscripten cache at .*\n$/);
  assert.equal(existsSync(dest), false);
});

test('build-wasm.sh makes its private cache with tools/em-cache.sh, never with a bare cp', () => {
  const sh = readFileSync(fileURLToPath(new URL('../../build-wasm.sh', import.meta.url)), 'utf8');
  assert.match(sh, /tools\/em-cache\.sh \/usr\/share\/emscripten\/cache "\$EM_CACHE"/);
  assert.doesNotMatch(sh, /cp -r \/usr\/share\/emscripten\/cache/);
});
