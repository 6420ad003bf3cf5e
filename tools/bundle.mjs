#!/usr/bin/env node
// bundle.mjs — esbuild bundles of the page and of its compute worker.
//   node tools/bundle.mjs page ENTRY OUT     the page (web/app/entry.js): everything
//   node tools/bundle.mjs worker ENTRY OUT   the worker: the lessons' jobs only
//   node tools/bundle.mjs loader ENTRY OUT   the course pages' loader (web/embed.js), minified
// The worker imports the lesson registry for the jobs, but never draws nor
// speaks: each lesson's view.js, messages.js, questions.js, pytorch.js and summaries.js are replaced by an empty
// module there, so the worker's source (embedded in the page as a string)
// does not carry the UI a second time.
import { build } from 'esbuild';

const [kind, entry, outfile] = process.argv.slice(2);
if (!['page', 'worker', 'loader'].includes(kind) || !entry || !outfile) {
  console.error('usage: node tools/bundle.mjs page|worker|loader ENTRY OUT');
  process.exit(2);
}

/** Lesson views, messages, questions, PyTorch snippets and chart summaries → an empty module (worker builds only). */
const noUi = {
  name: 'no-ui',
  setup(b) {
    b.onResolve({ filter: /^\.\/(view|messages|questions|pytorch|summaries)\.js$/ }, (args) => (/[\\/]lessons[\\/][^\\/]+[\\/]index\.js$/.test(args.importer)
      ? { path: `${args.importer}:${args.path}`, namespace: 'no-ui' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-ui' }, () => ({
      contents: 'export default {}; export function createView() { throw new Error("no views in the worker"); } export function pytorch() { throw new Error("no snippets in the worker"); }',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [entry], bundle: true, format: 'iife', target: 'es2020', outfile, logLevel: 'warning',
  plugins: kind === 'worker' ? [noUi] : [],
  minify: kind === 'loader',
});
