// node-core.js — loads the wasm core under Node (CLI, tests, scripts).
// The Emscripten glue is CommonJS (web/gen/package.json says so), so it is
// required through createRequire; everything else goes through web/core.js.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCore } from '../web/core.js';

const require = createRequire(import.meta.url);

/** Path of the built core: 'release' (web/gen/gradlab.js) or 'debug'. */
export function corePath(build = process.env.GRADLAB_BUILD || 'release') {
  if (build !== 'release' && build !== 'debug') {
    throw new Error(`GRADLAB_BUILD must be 'release' or 'debug', got '${build}'`);
  }
  const name = build === 'debug' ? 'gradlab-debug.js' : 'gradlab.js';
  return fileURLToPath(new URL(`../web/gen/${name}`, import.meta.url));
}

/**
 * The glue's factory with its printing sent to stderr: the debug build
 * (ASSERTIONS=2) prints "Heap resize call from … took … msecs" through the
 * glue's print, which is stdout by default and broke `--json` output.
 * One per path, so that createCore loads each core once.
 */
const factories = new Map();
function quietFactory(path) {
  if (!factories.has(path)) {
    const glue = require(path);
    const toStderr = (text) => process.stderr.write(`${text}\n`);
    factories.set(path, () => glue({ print: toStderr, printErr: toStderr }));
  }
  return factories.get(path);
}

/** Loads the core once per process; resolves to a Core (web/core.js). */
export function loadCore(build) {
  const path = corePath(build);
  if (!existsSync(path)) {
    return Promise.reject(new Error(`${path} is missing: run ./build-wasm.sh${build === 'debug' ? ' --debug' : ''}`));
  }
  return createCore(quietFactory(path));
}
