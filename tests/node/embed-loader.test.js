// embed-loader.test.js — the loader course pages include (web/gen/embed.js,
// built by build-wasm.sh from web/embed.js) is small and stands alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const LOADER = new URL('../../web/gen/embed.js', import.meta.url);

test('web/gen/embed.js is under 3 KB, minified, with no import, require or request of its own', () => {
  const src = readFileSync(LOADER, 'utf8');
  const bytes = Buffer.byteLength(src);
  assert.ok(bytes < 3 * 1024, `${bytes} bytes`);
  assert.ok(src.split('\n').length <= 3, 'minified');
  assert.doesNotMatch(src, /\bimport\s*[({'"]|\brequire\(|\bfetch\(|XMLHttpRequest/);
  // the protocol's names come from web/embed-protocol.js, bundled in
  for (const s of ['gradlab:height', 'gradlab:hello', 'data-gradlab']) assert.ok(src.includes(s), s);
});
