// answers.js — the learner's answers to a lesson's questions ("predict, then
// check"), with no DOM: how they are written in the URL, how a committed
// answer is graded against the answer the page computed, and the helper a
// question uses to map a computed number onto one of its choices.
//
// In the URL a lesson's committed answers are one value, '<prefix>_q':
// entries '<question id>-<answer>' joined by '_', e.g. x_q=overflow-160_flat-s57
// (a choice's option id, or a number as String(v)).  Ids are [a-z][a-z0-9]*,
// so the first '-' ends the id and '_' never occurs inside an entry; both are
// left as they are by URLSearchParams.

/** The local key of a lesson's answers ('q': 'x_q' in the URL), reserved by the registry. */
export const ANSWERS_KEY = 'q';

const ENTRY = '[a-z][a-z0-9]*-[a-z0-9.+-]+';

/** The state spec of a lesson's answers (state.js 'string'): '' = none committed. */
export const ANSWERS_SPEC = Object.freeze({
  type: 'string', pattern: new RegExp(`^${ENTRY}(_${ENTRY})*$`), maxLength: 400, default: '',
});

/** Map question id → the committed answer as written ('e6', '160'). */
export function parseAnswers(value) {
  const out = new Map();
  if (!value) return out;
  for (const entry of value.split('_')) {
    const i = entry.indexOf('-');
    if (i > 0) out.set(entry.slice(0, i), entry.slice(i + 1));
  }
  return out;
}

/** The URL value of `answers` (Map id → answer), in the questions' order. */
export function formatAnswers(answers, questions) {
  return questions.filter((q) => answers.has(q.id)).map((q) => `${q.id}-${answers.get(q.id)}`).join('_');
}

/**
 * The learner's answer as the question takes it, or null if it is not one:
 * a choice's option id, or a number within [min, max] (on its step).
 */
export function readAnswer(question, raw) {
  if (question.kind === 'choice') return question.options.includes(raw) ? raw : null;
  const v = Number(raw);
  if (raw === '' || !Number.isFinite(v) || v < question.min || v > question.max) return null;
  return v;
}

/**
 * Whether `given` is right against the computed answer `correct`: the same
 * option, or a number within the question's tolerance, max(abs, rel·|correct|).
 */
export function isRight(question, given, correct) {
  if (question.kind === 'choice') return given === correct;
  const tol = Math.max(question.tolerance.abs ?? 0, (question.tolerance.rel ?? 0) * Math.abs(correct));
  return Math.abs(given - correct) <= tol;
}

/**
 * The index of the value nearest to x (on a log scale if `log`: an order of
 * magnitude is a step); how a computed number picks one of a question's choices.
 */
export function nearest(values, x, { log = false } = {}) {
  const f = log ? (v) => Math.log(Math.abs(v)) : (v) => v;
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (Math.abs(f(values[i]) - f(x)) < Math.abs(f(values[best]) - f(x))) best = i;
  }
  return best;
}
