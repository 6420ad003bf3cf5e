// bytes.js — what the page downloads: every same-origin response it gets,
// sized as the product serves it (the file on disk, and gzip -9 of it).
// The bench is served the test build (web/gen/app-test.js answers for
// web/gen/app.js): its size is kept too, but the page's bytes are the
// product's.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../lib/build.js';

/**
 * Watches page's responses from `base` (call before the navigation); returns
 * done() → [{path, status, served}] once every body has been read.
 */
export function watchResponses(page, base) {
  const seen = [];
  page.on('response', (r) => {
    if (!r.url().startsWith(base)) return;
    const p = new URL(r.url()).pathname;
    seen.push(r.body().then((b) => ({ path: p, status: r.status(), served: b.length }),
      () => ({ path: p, status: r.status(), served: null })));
  });
  return () => Promise.all(seen);
}

/** The product's bytes of the files the page got: {files: [{path, bytes, gzip, served}], bytes, gzip, failed}. */
export function pageBytes(responses) {
  const files = [];
  const failed = [];
  for (const r of responses) {
    if (r.status !== 200) { failed.push(`${r.path} (${r.status})`); continue; }
    if (files.some((f) => f.path === r.path)) continue;
    const file = path.join(ROOT, r.path.endsWith('/') ? `${r.path}index.html` : r.path);
    const size = statSync(file).size;
    files.push({ path: r.path, bytes: size, gzip: gzipSync(readFileSync(file), { level: 9 }).length, served: r.served });
  }
  return {
    files,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    gzip: files.reduce((a, f) => a + f.gzip, 0),
    served: files.reduce((a, f) => a + (f.served ?? 0), 0),
    failed,
  };
}
