// questions.js — "Predict, then check": a lesson's questions (lesson.questions,
// described in registry.js) below its view.  The learner commits to an answer
// (a radio group, or a slider with a number box), then the page checks it the
// way the lesson computes everything: it sets the lesson's state to the
// question's setting (the charts show it), runs the jobs that decide the
// answer through the core, derives the correct answer from their results
// (question.solve) and says right or wrong with the figure and a one-line why,
// in a live region.  Nothing is graded against a typed-in constant.
//
// Committed answers live in the URL ('<prefix>_q', see answers.js); a link
// with answers checks them again on the state it carries, without changing
// that state (the result then comes from the same jobs, see runtime.js
// ctx.compute).  "Try again" withdraws an answer.
import { t } from '../i18n.js';
import { fmtNum } from '../format.js';
import { el } from '../controls.js';
import { formatAnswers, isRight, parseAnswers, readAnswer } from './answers.js';

/**
 * Builds the questions of ctx.lesson into `root` (after its view) and returns
 * {restore(), relabel()}.  answers: {key (the global key of the answers),
 * state (the page's), onChange(key)}.
 */
export function mountQuestions(root, ctx, answers) {
  const { lesson } = ctx;
  const committed = parseAnswers(answers.state[answers.key]);
  const section = el('section', { class: 'questions', 'aria-labelledby': `${answers.key}-title` });
  section.append(
    el('h3', { id: `${answers.key}-title`, dataset: { i18n: 'quiz.title' } }),
    el('p', { class: 'note', dataset: { i18n: 'quiz.intro' } }),
  );
  const list = el('ol');
  const items = lesson.questions.map((q) => {
    const item = build(q);
    list.append(item.li);
    return item;
  });
  section.append(list);
  root.append(section);

  function build(q) {
    const base = `${answers.key}-${q.id}`;
    const li = el('li', { class: 'question', dataset: { question: q.id } });
    let inputs;
    let read;
    let write;
    if (q.kind === 'choice') {
      const fs = el('fieldset', {}, [el('legend', { dataset: { i18n: q.prompt } })]);
      inputs = q.options.map((o) => el('input', { type: 'radio', name: base, value: o, id: `${base}-${o}` }));
      q.options.forEach((o, i) => fs.append(el('div', { class: 'option' }, [
        inputs[i], el('label', { for: `${base}-${o}`, dataset: { i18n: `${q.prompt}.${o}` } }),
      ])));
      li.append(fs);
      read = () => inputs.find((r) => r.checked)?.value ?? null;
      write = (v) => { for (const r of inputs) r.checked = r.value === v; };
    } else {
      const prompt = el('p', { id: `${base}-prompt`, class: 'prompt', dataset: { i18n: q.prompt } });
      const attrs = { min: q.min, max: q.max, step: q.step, 'aria-labelledby': `${base}-prompt` };
      const slider = el('input', { type: 'range', ...attrs });
      const box = el('input', { type: 'number', inputmode: 'decimal', ...attrs });
      slider.addEventListener('input', () => { box.value = slider.value; });
      box.addEventListener('input', () => { slider.value = box.value; });
      inputs = [slider, box];
      li.append(prompt, el('div', { class: 'pair' }, inputs));
      read = () => readAnswer(q, box.value);
      write = (v) => { box.value = String(v); slider.value = String(v); };
      // a starting point in the middle of the range, on its step
      write(q.min + Math.round((q.max - q.min) / 2 / q.step) * q.step);
    }
    if (q.exercise) li.append(el('p', { class: 'note', dataset: { exercise: String(q.exercise) } }));
    const button = el('button', { type: 'button', 'data-act': 'check' });
    const result = el('p', { class: 'result', role: 'status' });
    li.append(el('div', { class: 'buttons' }, [button]), result);
    const item = { q, li, inputs, read, write, button, result, status: null, token: 0 };
    button.addEventListener('click', () => (item.status ? retry(item) : commit(item)));
    return item;
  }

  function save() {
    answers.state[answers.key] = formatAnswers(committed, lesson.questions);
    answers.onChange(answers.key);
  }

  /** The learner commits: the lesson shows the question's setting, then the answer is checked. */
  function commit(item) {
    const given = item.read();
    if (given === null) {
      item.result.textContent = t(item.q.kind === 'choice' ? 'quiz.pick' : 'quiz.range', { min: item.q.min, max: item.q.max });
      item.result.dataset.state = 'none';
      return;
    }
    committed.set(item.q.id, String(given));
    save();
    const set = settingOf(item.q, given);
    const changed = Object.fromEntries(Object.entries(set).filter(([k, v]) => ctx.state[k] !== v));
    if (Object.keys(changed).length) {
      ctx.setMany(changed);
      ctx.syncControls();
    }
    check(item, given, {});
  }

  function retry(item) {
    item.token++;
    item.status = null;
    committed.delete(item.q.id);
    save();
    render(item);
  }

  /** Runs the question's jobs on the state with `overrides`, solves, grades. */
  function check(item, given, overrides) {
    const token = ++item.token;
    item.status = { given, pending: true };
    render(item);
    Promise.all(item.q.runs.map((name) => ctx.compute(name, overrides))).then((res) => {
      if (token !== item.token) return;
      const { answer, params } = item.q.solve(Object.fromEntries(item.q.runs.map((name, i) => [name, res[i]])));
      item.status = { given, answer, params, right: isRight(item.q, given, answer) };
      render(item);
    }).catch((e) => {
      // a failed job, or a solve() that found no figures (a run the core refused)
      if (token !== item.token) return;
      item.status = { given, error: e && e.message ? e.message : String(e) };
      render(item);
    });
  }

  function label(q, answer) {
    return q.kind === 'choice' ? t(`${q.prompt}.${answer}`) : fmtNum(answer);
  }

  function render(item) {
    const { q, status, result, button, inputs } = item;
    for (const i of inputs) i.disabled = !!status;
    button.textContent = t(status ? 'quiz.retry' : 'quiz.check');
    const ex = item.li.querySelector('[data-exercise]');
    if (ex) ex.textContent = t('quiz.exercise', { n: q.exercise });
    if (!status) {
      result.textContent = '';
      delete result.dataset.state;
    } else if (status.pending) {
      result.textContent = t('quiz.checking');
      result.dataset.state = 'pending';
    } else if (status.error) {
      result.textContent = t('quiz.failed', { msg: status.error });
      result.dataset.state = 'error';
    } else {
      const params = Object.fromEntries(Object.entries(status.params || {}).map(([k, v]) => [k, v === null ? t('quiz.never') : typeof v === 'number' ? fmtNum(v) : v]));
      result.textContent = t('quiz.verdict', {
        verdict: t(status.right ? 'quiz.right' : 'quiz.wrong', { answer: label(q, status.answer) }), why: t(q.why, params),
      });
      result.dataset.state = status.right ? 'right' : 'wrong';
    }
  }

  items.forEach(render);
  return {
    /** Checks the answers the URL committed, on the state as it is (the setting applied to the check alone). */
    restore() {
      let dropped = false;
      for (const item of items) {
        if (!committed.has(item.q.id)) continue;
        const given = readAnswer(item.q, committed.get(item.q.id));
        if (given === null) {
          committed.delete(item.q.id);
          dropped = true;
          continue;
        }
        item.write(given);
        check(item, given, settingOf(item.q, given));
      }
      if (dropped) save();
    },
    relabel() { items.forEach(render); },
  };
}

/** The state a question's check applies for the answer `given`. */
function settingOf(q, given) {
  return typeof q.set === 'function' ? q.set(given) : q.set;
}
