// registry.js — checks the lessons and derives what the app shell needs from
// them: the page's state schema with every lesson's keys namespaced by its
// prefix (Initialization's 'depth' is 'i_depth' in the URL), which keys each
// job reads, and which keys only the view reads.  Anything inconsistent is a
// programming error and throws at start-up, before anything is drawn.
//
// A lesson is a plain object (web/lessons/<id>/index.js):
//   id        'init'               the tab, the section #panel-<id>, the job lanes
//   prefix    'i'                  its state keys are '<prefix>_<key>' in the URL
//   navKey    'ini.nav'            message key of its tab
//   schema    {key: spec}          local keys, specs as state.js describes
//   jobs      {name: {inputs: [keys], run(core, input, progress), relevant?(input)}}
//             relevant(input) may narrow the input to what its values make
//             relevant; the job is rerun only when that changes
//   messages  {en: {…}, zh: {…}}   its own message table
//   create(ctx)                    builds its view (see runtime.js)

/** Keys of the page itself, which no lesson may take. */
export const PAGE_KEYS = ['lang', 'tab', 'embed'];

const NAME = /^[a-z][a-z0-9]*$/;

function fail(msg) { throw new Error(`lesson registry: ${msg}`); }

/**
 * Validates `lessons` and returns [{lesson, globalKey(k), keys: {global → local},
 * displayKeys}] in order.  Throws on: a malformed or duplicate id or prefix,
 * a global key taken twice (by two lessons or by the page), a job input that
 * is not in the schema, a job without run().
 */
export function registerLessons(lessons) {
  if (!Array.isArray(lessons) || !lessons.length) fail('no lessons');
  const owner = new Map(PAGE_KEYS.map((k) => [k, 'the page']));
  const ids = new Set();
  const prefixes = new Set();
  return lessons.map((lesson) => {
    const { id, prefix, schema, jobs } = lesson;
    if (!NAME.test(id || '')) fail(`id '${id}' must match ${NAME}`);
    if (ids.has(id)) fail(`id '${id}' is registered twice`);
    ids.add(id);
    if (!NAME.test(prefix || '')) fail(`${id}: prefix '${prefix}' must match ${NAME}`);
    if (prefixes.has(prefix)) fail(`${id}: prefix '${prefix}' is taken by another lesson`);
    prefixes.add(prefix);
    if (typeof lesson.create !== 'function') fail(`${id}: create(ctx) is missing`);
    if (!lesson.navKey) fail(`${id}: navKey is missing`);
    const keys = {};
    for (const key of Object.keys(schema || {})) {
      if (!NAME.test(key)) fail(`${id}: state key '${key}' must match ${NAME}`);
      const g = `${prefix}_${key}`;
      if (owner.has(g)) fail(`${id}: state key '${g}' is already taken by ${owner.get(g)}`);
      owner.set(g, `lesson '${id}'`);
      keys[g] = key;
    }
    const used = new Set();
    for (const [name, job] of Object.entries(jobs || {})) {
      if (!NAME.test(name)) fail(`${id}: job name '${name}' must match ${NAME}`);
      if (typeof job.run !== 'function') fail(`${id}/${name}: run() is missing`);
      if (!Array.isArray(job.inputs)) fail(`${id}/${name}: inputs must be a list of state keys`);
      for (const k of job.inputs) {
        if (!(k in schema)) fail(`${id}/${name}: input '${k}' is not a key of the lesson's schema`);
        used.add(k);
      }
    }
    const displayKeys = Object.keys(schema).filter((k) => !used.has(k));
    return { lesson, keys, displayKeys, globalKey: (k) => `${prefix}_${k}` };
  });
}

/** The page's whole schema: the page keys' specs and every lesson key under its global name. */
export function pageSchema(registered, pageSpecs) {
  const schema = { ...pageSpecs };
  for (const r of registered) {
    for (const [g, k] of Object.entries(r.keys)) schema[g] = r.lesson.schema[k];
  }
  return schema;
}
