// controls.js — labelled form controls bound to the state.  Each numeric
// control is a range slider paired with a number box; both are real form
// elements with a <label>, usable by keyboard.  A typed value outside the
// allowed range is clamped visibly: the box shows the value used and a notice
// says why.  A slider announces the value the box shows (aria-valuetext, with
// its unit): a log-scale slider's own value is log10 of it.
import { coerce, echo } from './state.js';
import { t } from './i18n.js';

let uid = 0;

function el(tag, attrs = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}
export { el };

/**
 * A numeric control (slider + number box) for state[key] described by spec.
 * opts: {labelKey, step, log (slider on a log scale), unitKey (message key of
 * the unit, if any), onChange(value), notify(text)}
 * Returns {root, set(value)} — set() updates the widgets without firing (and
 * says the unit in the current language).
 */
export function numberControl(key, spec, opts) {
  const id = `ctl-${key}-${++uid}`;
  const step = opts.step ?? (spec.type === 'int' ? 1 : 'any');
  const label = el('label', { for: id, dataset: { i18n: opts.labelKey } });
  const box = el('input', { id, type: 'number', name: key, min: spec.min, max: spec.max, step, inputmode: 'decimal' });
  const sliderAttrs = opts.log
    ? { min: Math.log10(spec.min), max: Math.log10(spec.max), step: 'any' }
    : { min: spec.min, max: opts.sliderMax ?? spec.max, step };
  const slider = el('input', { type: 'range', name: `${key}-slider`, 'aria-labelledby': `${id}-lab`, ...sliderAttrs });
  label.id = `${id}-lab`;
  const root = el('div', { class: 'control', dataset: { key } }, [label, el('div', { class: 'pair' }, [slider, box])]);
  const toSlider = (v) => (opts.log ? Math.log10(v) : v);
  const fromSlider = (s) => (opts.log ? Number((10 ** s).toPrecision(3)) : Number(s));
  const set = (v) => {
    box.value = String(v);
    slider.value = String(toSlider(v));
    slider.setAttribute('aria-valuetext', opts.unitKey ? `${box.value} ${t(opts.unitKey)}` : box.value);
  };
  const commit = (raw, fromBox) => {
    const { value, problem } = coerce(spec, raw);
    set(value);
    if (problem && fromBox) {
      opts.notify(t(problem === 'clamped' ? 'notice.clamped' : 'notice.invalid',
        { what: t(opts.labelKey), value: echo(raw), min: spec.min, max: spec.max, used: value }), root);
    }
    opts.onChange(value);
  };
  slider.addEventListener('input', () => commit(fromSlider(slider.value), false));
  box.addEventListener('change', () => commit(box.value, true));
  return { root, set, input: box, slider, setInert: inertSetter(root, [box, slider], id) };
}

/**
 * For a control that cannot change the view as things are: setInert(reason)
 * disables its widgets and shows why (a line under it, which the widgets name
 * with aria-describedby); setInert(null) enables them again.
 */
function inertSetter(root, inputs, id) {
  const why = el('p', { class: 'why', id: `${id}-why`, hidden: '' });
  root.append(why);
  return (reason) => {
    const on = Boolean(reason);
    why.hidden = !on;
    why.textContent = on ? reason : '';
    root.classList.toggle('inert', on);
    for (const input of inputs) {
      input.disabled = on;
      if (on) input.setAttribute('aria-describedby', why.id);
      else input.removeAttribute('aria-describedby');
    }
  };
}

/** A <select> for an enum; optionKey(value) gives each option's message key. */
export function selectControl(key, spec, opts) {
  const id = `ctl-${key}-${++uid}`;
  const label = el('label', { for: id, dataset: { i18n: opts.labelKey } });
  const select = el('select', { id, name: key });
  for (const v of spec.values) select.append(el('option', { value: v, dataset: { i18n: opts.optionKey(v) } }));
  const root = el('div', { class: 'control', dataset: { key } }, [label, select]);
  select.addEventListener('change', () => opts.onChange(select.value));
  return { root, set: (v) => { select.value = v; }, input: select, setInert: inertSetter(root, [select], id) };
}

/** A checkbox for a bool. */
export function checkControl(key, opts) {
  const id = `ctl-${key}-${++uid}`;
  const box = el('input', { id, type: 'checkbox', name: key });
  const label = el('label', { for: id, dataset: { i18n: opts.labelKey } });
  const root = el('div', { class: 'control check', dataset: { key } }, [box, label]);
  box.addEventListener('change', () => opts.onChange(box.checked));
  return { root, set: (v) => { box.checked = !!v; }, input: box, setInert: inertSetter(root, [box], id) };
}
