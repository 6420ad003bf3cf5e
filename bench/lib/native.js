// native.js — the native build of the core (bench/native_bench.c) as a child
// process that runs workloads on request, so it takes part in the rounds.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How long one request may take before the child is given up (s). */
const ANSWER_S = 600;

/**
 * Starts `bin` (in cwd) and resolves to {run(workload, reps) → {ms: [...], ...},
 * close()}: `mm256 20` on its stdin → the 20 run times as a JSON line.  If the
 * child fails (an error line, an exit, a signal, a failed spawn or write) or
 * does not answer within ANSWER_S seconds, the pending and later requests
 * reject with what it said.
 */
export async function startNative(bin, cwd) {
  const child = spawn(bin, [], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  let failure = null; // why the child can take no more requests
  let unasked = ''; // a line nobody waited for (an error printed before exiting)
  const fail = (why) => {
    failure ??= new Error(`gradlab_bench: ${why}${unasked ? `: ${unasked}` : ''}`);
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  lines.on('line', (l) => {
    const w = waiting.shift();
    if (w) w.resolve(l);
    else unasked = l;
  });
  // 'close' comes after the child's stdout is drained, so its last line is in.
  child.on('close', (code, signal) => fail(signal ? `killed by ${signal}` : `exited with status ${code}`));
  child.on('error', (e) => fail(e.message));
  child.stdin.on('error', (e) => fail(`cannot write to it (${e.code || e.message})`));
  return {
    async run(workload, reps) {
      if (failure) throw failure;
      let timer;
      const line = new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        timer = setTimeout(() => {
          fail(`no answer to '${workload} ${reps}' in ${ANSWER_S} s`);
          child.kill();
        }, ANSWER_S * 1e3);
      });
      child.stdin.write(`${workload} ${reps}\n`);
      try {
        const out = JSON.parse(await line);
        if (out.error) throw new Error(`gradlab_bench: ${out.error}`);
        return out;
      } finally {
        clearTimeout(timer);
      }
    },
    close() { child.stdin.end(); },
  };
}
