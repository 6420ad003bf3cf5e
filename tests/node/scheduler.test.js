// scheduler.test.js — "newest request wins", specified against fake Workers
// and a fake clock: coalescing, supersession, cancellation, errors, restarts,
// and the pool: lanes in parallel, one running request per lane, a restart
// that reaches every worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cancelled, PING_TIMEOUT, Scheduler, poolSize } from '../../web/app/scheduler.js';

/** A Worker stand-in that records what it is sent and answers when told. */
class FakeWorker {
  constructor(all) {
    this.posted = [];
    this.terminated = false;
    this.onmessage = null;
    this.onerror = null;
    all.push(this);
  }
  postMessage(msg) { this.posted.push(msg); }
  terminate() { this.terminated = true; }
  /** Answers the last request it was sent. */
  answer(type, extra = {}) {
    const { id } = this.posted[this.posted.length - 1];
    this.onmessage({ data: { id, type, ...extra } });
  }
}

function setup(opts = {}) {
  const workers = [];
  const clock = { now: 0 };
  const events = [];
  const s = new Scheduler({ spawn: () => new FakeWorker(workers), now: () => clock.now, restartAfter: 250, ...opts });
  s.onEvent((e) => events.push(`${e.type} ${e.lane}#${e.id}`));
  return { s, workers, clock, events, current: () => workers[workers.length - 1] };
}

/** Settles a promise into {value} or {error} without throwing. */
const outcome = (p) => p.then((value) => ({ value }), (error) => ({ error }));
const flush = () => new Promise((r) => setImmediate(r));

test('a request goes to the worker at once and resolves with its data', async () => {
  const { s, current } = setup();
  const p = s.submit('a/x', 'a/x', { n: 1 });
  assert.deepEqual(current().posted, [{ id: 1, job: 'a/x', input: { n: 1 } }]);
  current().answer('done', { data: { v: 42 }, ms: 3 });
  assert.deepEqual(await p, { v: 42 });
  assert.deepEqual(s.stats(), { submitted: 1, started: 1, done: 1, cancelled: 0, failed: 0, restarts: 0 });
});

test('idle: false from a submit until the last request of every lane is answered or dropped', async () => {
  const { s, current } = setup();
  assert.equal(s.idle, true);
  const a = s.submit('a/x', 'a/x', { n: 1 });
  const b = outcome(s.submit('b/y', 'b/y', { n: 2 }));
  assert.equal(s.idle, false, 'a running, b queued');
  current().answer('done', { data: 1 });
  await a;
  assert.equal(s.idle, false, 'b runs now');
  s.cancel('b/y');
  assert.ok((await b).error instanceof Cancelled);
  assert.equal(s.idle, true);
});

test('coalescing: while a quick request runs, only the newest of its lane waits; those in between are cancelled', async () => {
  const { s, current, clock } = setup();
  const first = outcome(s.submit('a/x', 'a/x', { n: 1 }));
  clock.now = 100; // younger than restartAfter: let it finish
  const mid1 = outcome(s.submit('a/x', 'a/x', { n: 2 }));
  const mid2 = outcome(s.submit('a/x', 'a/x', { n: 3 }));
  const last = outcome(s.submit('a/x', 'a/x', { n: 4 }));
  assert.equal(current().posted.length, 1, 'nothing more is sent while the first runs');
  current().answer('done', { data: 'one' });
  assert.equal((await first).value, 'one', 'the running request still delivers (a drag keeps drawing)');
  assert.ok((await mid1).error instanceof Cancelled);
  assert.ok((await mid2).error instanceof Cancelled);
  assert.deepEqual(current().posted.map((m) => m.input.n), [1, 4], 'then the newest, and only it');
  current().answer('done', { data: 'four' });
  assert.equal((await last).value, 'four');
  assert.equal(s.stats().cancelled, 2);
  assert.equal(s.stats().restarts, 0);
});

test('supersession: a request of the same lane running longer than restartAfter is abandoned and the worker restarted', async () => {
  const { s, workers, clock, events } = setup();
  const slow = outcome(s.submit('i/net', 'i/net', { depth: 200 }));
  clock.now = 251;
  const fresh = s.submit('i/net', 'i/net', { depth: 199 });
  assert.ok((await slow).error instanceof Cancelled);
  assert.equal(workers.length, 2);
  assert.equal(workers[0].terminated, true);
  assert.deepEqual(workers[1].posted.map((m) => m.input.depth), [199]);
  // A late answer of the terminated worker is ignored.
  workers[0].onmessage({ data: { id: 1, type: 'done', data: 'stale' } });
  workers[1].answer('done', { data: 'new' });
  assert.equal(await fresh, 'new');
  assert.equal(s.stats().restarts, 1);
  assert.deepEqual(events, ['submit i/net#1', 'start i/net#1', 'submit i/net#2', 'cancel i/net#1', 'start i/net#2', 'done i/net#2']);
});

test('another lane is never cancelled: an old running request of lane b stays, and queued requests survive a restart', async () => {
  const { s, workers, clock } = setup();
  const b = outcome(s.submit('l/b', 'l/b', {}));
  clock.now = 1000;
  const a = s.submit('l/a', 'l/a', {});
  assert.equal(workers.length, 1, 'lane a does not restart the worker for lane b');
  workers[0].answer('done', { data: 'b' });
  assert.equal((await b).value, 'b');
  // Now a runs; c is queued behind it; a newer a past restartAfter restarts.
  const c = s.submit('l/c', 'l/c', {});
  clock.now = 2000;
  const a2 = s.submit('l/a', 'l/a', { again: true });
  await assert.rejects(a, Cancelled);
  assert.equal(workers.length, 2);
  assert.deepEqual(workers[1].posted.map((m) => m.job), ['l/c'], 'the queued request of lane c runs first on the fresh worker');
  workers[1].answer('done', { data: 'c' });
  assert.equal(await c, 'c');
  assert.deepEqual(workers[1].posted.map((m) => m.job), ['l/c', 'l/a']);
  workers[1].answer('done', { data: 'a2' });
  assert.equal(await a2, 'a2');
});

test('cancel(lane) drops its queued request, and its running one at the cost of a restart', async () => {
  const { s, workers } = setup();
  const running = outcome(s.submit('x/r', 'x/r', {}));
  const queued = outcome(s.submit('x/q', 'x/q', {}));
  s.cancel('x/q');
  assert.ok((await queued).error instanceof Cancelled);
  assert.equal(workers.length, 1);
  s.cancel('x/r');
  assert.ok((await running).error instanceof Cancelled);
  assert.equal(workers.length, 2);
  assert.equal(workers[1].posted.length, 0, 'nothing left to run');
  assert.deepEqual(s.stats(), { submitted: 2, started: 1, done: 0, cancelled: 2, failed: 0, restarts: 1 });
});

test('a job error rejects that request only, with the core status kept, and the queue goes on', async () => {
  class CoreLike extends Error {
    constructor(status, message) { super(message); this.name = 'CoreError'; this.status = status; }
  }
  const { s, current } = setup({ coreError: (status, message) => new CoreLike(status, message) });
  const bad = outcome(s.submit('i/n1', 'i/n1', {}));
  const good = s.submit('i/n2', 'i/n2', {});
  current().answer('error', { error: { name: 'CoreError', message: 'needs 838.1 MiB', status: 2 } });
  const { error } = await bad;
  assert.ok(error instanceof CoreLike);
  assert.equal(error.status, 2);
  assert.equal(error.message, 'needs 838.1 MiB');
  current().answer('error', { error: { name: 'TypeError', message: 'boom' } });
  const e2 = await good.catch((e) => e);
  assert.equal(e2.name, 'TypeError');
  assert.equal(e2.message, 'boom');
  assert.equal(s.stats().failed, 2);
});

test('a worker that fails outright is replaced; the running request fails, the queued one runs on the new worker', async () => {
  const { s, workers } = setup();
  const running = outcome(s.submit('a/1', 'a/1', {}));
  const queued = s.submit('a/2', 'a/2', {});
  let prevented = false;
  workers[0].onerror({ message: 'script error', preventDefault: () => { prevented = true; } });
  assert.equal(prevented, true, 'the error does not also reach the page as uncaught');
  assert.match((await running).error.message, /script error/);
  assert.equal(workers.length, 2);
  assert.equal(workers[0].terminated, true);
  assert.deepEqual(workers[1].posted.map((m) => m.job), ['a/2']);
  workers[1].answer('done', { data: 2 });
  assert.equal(await queued, 2);
});

test('restart() starts a fresh worker: a running request is cancelled, a queued one runs on the new worker', async () => {
  const { s, workers } = setup();
  s.restart();
  assert.equal(workers.length, 2, 'an idle restart replaces the worker too');
  const running = outcome(s.submit('a/1', 'a/1', {}));
  const queued = s.submit('b/1', 'b/1', {});
  s.restart();
  assert.ok((await running).error instanceof Cancelled);
  assert.deepEqual(workers[2].posted.map((m) => m.job), ['b/1']);
  workers[2].answer('done', { data: 'b' });
  assert.equal(await queued, 'b');
  assert.equal(s.stats().restarts, 2);
});

test('progress reaches the newest request only while it runs', async () => {
  const { s, current } = setup();
  const seen = [];
  const p = s.submit('a/1', 'a/1', {}, (v) => seen.push(v));
  current().answer('progress', { value: 0.25 });
  current().answer('progress', { value: 0.75 });
  current().answer('done', { data: null });
  await p;
  current().onmessage({ data: { id: 1, type: 'progress', value: 1 } }); // after the end: ignored
  await flush();
  assert.deepEqual(seen, [0.25, 0.75]);
});

// ---- the pool ----------------------------------------------------------------

test('poolSize: one worker per core but one, at most 4, at least 1 (also when unknown)', () => {
  assert.deepEqual([undefined, 0, 1, 2, 3, 4, 5, 8, 64, 2.5].map(poolSize), [1, 1, 1, 1, 2, 3, 4, 4, 4, 1]);
  assert.throws(() => setup({ size: 0 }), RangeError);
});

test('pool: independent lanes run at once, a worker spawned for each up to the size; the next waits for a free one', async () => {
  const { s, workers } = setup({ size: 2 });
  assert.equal(workers.length, 1, 'one worker at first');
  const a = s.submit('t/lane1', 't/lane1', {});
  const b = s.submit('t/lane2', 't/lane2', {});
  const c = s.submit('t/lane3', 't/lane3', {});
  assert.equal(workers.length, 2, 'the second worker is spawned for the second lane, no third');
  assert.deepEqual(workers.map((w) => w.posted.map((m) => m.job)), [['t/lane1'], ['t/lane2']]);
  workers[1].answer('done', { data: 'b' });
  assert.equal(await b, 'b');
  assert.deepEqual(workers[1].posted.map((m) => m.job), ['t/lane2', 't/lane3'], 'lane 3 takes the worker that came free');
  workers[0].answer('done', { data: 'a' });
  workers[1].answer('done', { data: 'c' });
  assert.deepEqual([await a, await c], ['a', 'c']);
  assert.equal(s.idle, true);
  assert.equal(s.workers, 2);
});

test('pool: a lane never runs twice at once; its newer request waits for the running one even with a worker free', async () => {
  const { s, workers, clock } = setup({ size: 2 });
  const first = s.submit('i/net1', 'i/net1', { n: 1 });
  clock.now = 10;
  const second = s.submit('i/net1', 'i/net1', { n: 2 });
  assert.equal(workers.length, 1, 'no worker is spawned for a lane that is running');
  workers[0].answer('done', { data: 1 });
  assert.equal(await first, 1);
  assert.deepEqual(workers[0].posted.map((m) => m.input.n), [1, 2]);
  workers[0].answer('done', { data: 2 });
  assert.equal(await second, 2);
});

test('pool: supersession replaces only the worker of that lane; the other lane runs on undisturbed', async () => {
  const { s, workers, clock } = setup({ size: 2 });
  const slow = outcome(s.submit('i/net1', 'i/net1', { depth: 200 }));
  const other = s.submit('i/net2', 'i/net2', {});
  clock.now = 300;
  const fresh = s.submit('i/net1', 'i/net1', { depth: 100 });
  assert.ok((await slow).error instanceof Cancelled);
  assert.deepEqual(workers.map((w) => w.terminated), [true, false, false]);
  assert.deepEqual(workers[2].posted.map((m) => m.input.depth), [100], 'the newest request runs on the replacement');
  workers[1].answer('done', { data: 'other' });
  workers[2].answer('done', { data: 'new' });
  assert.deepEqual([await other, await fresh], ['other', 'new']);
  assert.equal(s.stats().restarts, 1);
});

test('pool: restart() and a failing worker reach every worker they should, and only those', async () => {
  const { s, workers } = setup({ size: 2 });
  const a = outcome(s.submit('l/a', 'l/a', {}));
  const b = outcome(s.submit('l/b', 'l/b', {}));
  const c = s.submit('l/c', 'l/c', {});
  s.restart();
  assert.ok((await a).error instanceof Cancelled);
  assert.ok((await b).error instanceof Cancelled);
  assert.deepEqual(workers.map((w) => w.terminated), [true, true, false, false], 'both workers replaced');
  assert.equal(s.stats().restarts, 2);
  const running = workers.find((w) => !w.terminated && w.posted.length);
  assert.deepEqual(running.posted.map((m) => m.job), ['l/c'], 'the queued request runs on a fresh worker');
  const d = outcome(s.submit('l/d', 'l/d', {}));
  const idle = workers.find((w) => !w.terminated && w !== running);
  idle.onerror({ message: 'out of memory' });
  assert.match((await d).error.message, /out of memory/);
  assert.equal(running.terminated, false, 'the other worker keeps its job');
  running.answer('done', { data: 'c' });
  assert.equal(await c, 'c');
});

// ---- a host that refuses the worker (CSP worker-src without blob:) -----------------

/** A scheduler with a fallback: workers from `spawn`, fallback stand-ins in `local`, fake timers. */
function setupFallback(spawn) {
  const local = [];
  const timers = [];
  const why = [];
  const s = new Scheduler({
    spawn,
    now: () => 0,
    fallback: { spawn: () => new FakeWorker(local), size: 1 },
    onFallback: (w) => why.push(w),
    timers: { set: (fn, ms) => timers.push({ fn, ms }) - 1, clear: (i) => { if (timers[i]) timers[i].fn = null; } },
  });
  return { s, local, timers, why, fire: () => timers.forEach((t) => t.fn && t.fn()) };
}

test('a worker that fails before its pong is taken as refused: its request runs again on the fallback, said once', async () => {
  const workers = [];
  const { s, local, why } = setupFallback(() => new FakeWorker(workers));
  assert.deepEqual(workers[0].posted, [{ ping: 1 }], 'a new worker is pinged first');
  const p = s.submit('a/x', 'a/x', { n: 1 });
  const q = s.submit('b/y', 'b/y', { n: 2 });
  assert.equal(workers[0].posted.length, 2, 'the request is sent at once, after the ping');
  workers[0].onerror({ message: 'refused by worker-src' });
  assert.equal(workers[0].terminated, true);
  assert.deepEqual(why, ['refused by worker-src']);
  assert.equal(local.length, 1);
  assert.deepEqual(local[0].posted, [{ id: 1, job: 'a/x', input: { n: 1 } }], 'the fallback is not pinged; the held request is resent');
  local[0].answer('done', { data: 'a' });
  assert.equal(await p, 'a');
  assert.deepEqual(local[0].posted.at(-1), { id: 2, job: 'b/y', input: { n: 2 } }, 'the queue goes on');
  local[0].answer('done', { data: 'b' });
  assert.equal(await q, 'b');
  s.submit('c/z', 'c/z', {});
  assert.equal(workers.length, 1, 'no worker is spawned after the fallback');
  assert.deepEqual(why.length, 1);
});

test('a worker that never answers its ping is taken as refused after PING_TIMEOUT', async () => {
  const workers = [];
  const { s, local, timers, why, fire } = setupFallback(() => new FakeWorker(workers));
  const p = s.submit('a/x', 'a/x', { n: 1 });
  assert.equal(timers[0].ms, PING_TIMEOUT);
  fire();
  assert.match(why[0], /no answer/);
  local[0].answer('done', { data: 7 });
  assert.equal(await p, 7);
});

test('a worker that answered its ping and fails later is replaced by a new worker, not the fallback', async () => {
  const workers = [];
  const { s, local, why, fire } = setupFallback(() => new FakeWorker(workers));
  workers[0].onmessage({ data: { type: 'pong' } });
  fire(); // its ping timer was cleared
  const p = outcome(s.submit('a/x', 'a/x', {}));
  workers[0].onerror({ message: 'out of memory' });
  assert.match((await p).error.message, /out of memory/);
  assert.equal(workers.length, 2);
  assert.equal(local.length, 0);
  assert.deepEqual(why, []);
});

test('a Worker constructor that throws at once (a synchronous SecurityError) also moves the jobs to the fallback', async () => {
  const { s, local, why } = setupFallback(() => { throw new Error('SecurityError: blob: refused'); });
  const p = s.submit('a/x', 'a/x', { n: 3 });
  await flush();
  assert.deepEqual(why, ['SecurityError: blob: refused']);
  local[0].answer('done', { data: 3 });
  assert.equal(await p, 3);
});

test('when the fallback takes over, a held request whose lane has a newer one waiting is cancelled', async () => {
  const workers = [];
  const clock = { now: 0 };
  const local = [];
  const s = new Scheduler({ spawn: () => new FakeWorker(workers), now: () => clock.now, restartAfter: 250,
    fallback: { spawn: () => new FakeWorker(local), size: 1 }, timers: { set: () => 0, clear: () => {} } });
  const old = outcome(s.submit('a/x', 'a/x', { n: 1 }));
  const newer = s.submit('a/x', 'a/x', { n: 2 }); // queued: the first is young
  workers[0].onerror({ message: 'refused' });
  assert.ok((await old).error instanceof Cancelled);
  assert.deepEqual(local[0].posted, [{ id: 2, job: 'a/x', input: { n: 2 } }]);
  local[0].answer('done', { data: 2 });
  assert.equal(await newer, 2);
});
