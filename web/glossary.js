// glossary.js — words a student knows: every technical term of a lesson, on
// its first use there, is a focusable element whose short explanation shows
// on hover and on keyboard focus (aria-describedby names it), under the term,
// and goes with Escape.  One table (GLOSSARY: which lessons use a term and
// how it reads in each language); the explanations are messages
// (web/messages/glossary.js: 'gl.<id>' and the term's name 'gl.<id>.term').
// A term the lesson's charts use before its text does (a legend, an axis, a
// readout rewritten on every draw: nothing there can be marked) is also
// listed after the lesson's introduction, ahead of the first chart, unless
// its first use is a control's label (which sits with the chart it drives).
import { addMessages, getLang, t } from './i18n.js';
import messages from './messages/glossary.js';

addMessages(messages, 'the glossary');

/**
 * id → {lessons: the lessons that use the term, find: {en, zh}: a RegExp
 * for its first use in that language's text}.
 */
export const GLOSSARY = {
  digamma: { lessons: ['exploding'], find: { en: /ψ\(n\/2\)/, zh: /ψ\(n\/2\)/ } },
  newman: { lessons: ['exploding'], find: { en: /Newman 1986/, zh: /Newman 1986/ } },
  ensemble: { lessons: ['exploding'], find: { en: /\bensemble\b/i, zh: /系综|矩阵类型/ } },
  frobenius: { lessons: ['exploding'], find: { en: /Frobenius( norm)?|‖M‖/, zh: /Frobenius( 范数)?|‖M‖/ } },
  rms: { lessons: ['exploding'], find: { en: /root-mean-square growth|mean square/i, zh: /均方根增长|均方/ } },
  sigmaStar: { lessons: ['exploding'], find: { en: /σ\*/, zh: /σ\*/ } },
  meanField: { lessons: ['init'], find: { en: /mean-field( theory)?/i, zh: /平均场(理论)?/ } },
  sw2: { lessons: ['init'], find: { en: /σ_w² = n·Var\(W\)|σ_w²/, zh: /σ_w² = n·Var\(W\)|σ_w²/ } },
  samples: { lessons: ['vanishing'], find: { en: /\bSamples\b/, zh: /样本数/ } },
  seed: { lessons: ['vanishing', 'exploding', 'init', 'train'], find: { en: /\bseed\b/i, zh: /随机种子/ } },
  fanIn: { lessons: ['init', 'xavier'], find: { en: /\bfan[-_ ]?(in|out)\b|\bn_(in|out)\b/i, zh: /扇入|扇出|\bn_(in|out)\b/ } },
  gain: { lessons: ['init', 'train'], find: { en: /\bgain\b/i, zh: /增益/ } },
  clipping: { lessons: ['train'], find: { en: /clipping/i, zh: /梯度裁剪|裁剪/ } },
  residual: { lessons: ['train'], find: { en: /\bresidual\b/i, zh: /残差/ } },
  batchnorm: { lessons: ['train'], find: { en: /BatchNorm(1d)?/, zh: /BatchNorm(1d)?/ } },
  layernorm: { lessons: ['train'], find: { en: /LayerNorm/, zh: /LayerNorm/ } },
  lr: { lessons: ['train'], find: { en: /learning rate/i, zh: /学习率/ } },
  optimizer: { lessons: ['train'], find: { en: /\boptimi[sz]er\b/i, zh: /优化器/ } },
  chance: { lessons: ['train'], find: { en: /ln 2\b/, zh: /ln 2\b/ } },
};

/** The glossary's terms that lesson `lessonId` uses, in table order. */
export function termsOf(lessonId) {
  return Object.keys(GLOSSARY).filter((id) => GLOSSARY[id].lessons.includes(lessonId));
}

/** Text that may hold a term: translated text (not a drawing's readout, not inside a widget). */
const SKIP = 'script, style, button, select, option, textarea, summary, canvas, math, [data-out], [hidden], .visually-hidden, .term, .gl-tip, .glossary-more';

function markable(node, root) {
  const el = node.parentElement;
  if (!el || el.closest(SKIP) || !el.closest('[data-i18n], [data-i18n-html]') || !root.contains(el)) return false;
  // not in a box that scrolls (a figure's cell in .grid2): it would cut the explanation off
  for (let a = el; a && a !== root; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false;
  return true;
}

let uid = 0;

/** A focusable term with its tooltip, for glossary entry `id` reading `text`. */
function termElement(id, text) {
  const term = document.createElement('span');
  term.className = 'term';
  term.tabIndex = 0;
  term.dataset.term = id;
  const tip = document.createElement('span');
  tip.className = 'gl-tip';
  tip.id = `gl-tip-${++uid}`;
  tip.setAttribute('role', 'tooltip');
  // its words reach a screen reader once, as the term's description, never as
  // part of the term's own text (nor of a label the term sits in)
  tip.setAttribute('aria-hidden', 'true');
  tip.hidden = true;
  tip.textContent = t(`gl.${id}`);
  term.setAttribute('aria-describedby', tip.id);
  term.append(text, tip);
  return term;
}

function show(term) {
  const tip = term.querySelector('.gl-tip');
  if (!tip.hidden) return;
  tip.hidden = false;
  // never past the right edge of the window (the page must not scroll sideways)
  tip.style.left = '0px';
  const over = tip.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
  if (over > 0) tip.style.left = `${-Math.min(over, term.getBoundingClientRect().left - 8)}px`;
}
function hide(term) { term.querySelector('.gl-tip').hidden = true; }

/** The tooltip behaviour, once per page: hover, focus, Escape, and no label activation. */
let wired = false;
function wire() {
  if (wired) return;
  wired = true;
  const termOf = (e) => e.target instanceof Element && e.target.closest('.term');
  document.addEventListener('focusin', (e) => { const term = termOf(e); if (term) show(term); });
  document.addEventListener('focusout', (e) => { const term = termOf(e); if (term && !term.matches(':hover')) hide(term); });
  document.addEventListener('mouseover', (e) => { const term = termOf(e); if (term) show(term); });
  document.addEventListener('mouseout', (e) => {
    const term = termOf(e);
    if (term && !term.contains(e.relatedTarget) && document.activeElement !== term) hide(term);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    for (const tip of document.querySelectorAll('.gl-tip:not([hidden])')) tip.hidden = true;
  });
  // a term inside a control's <label>: a tap explains it, it does not toggle the control
  document.addEventListener('click', (e) => { if (termOf(e)?.closest('label')) e.preventDefault(); });
}

/**
 * Marks the first use of each of lesson `lessonId`'s terms in `section` (its
 * translated text, in the current language), and lists after the
 * introduction those with no marked use before the first chart.  Call it
 * again after the text is translated anew: it first undoes what it did.
 */
export function markTerms(section, lessonId) {
  wire();
  for (const term of section.querySelectorAll('.term')) term.replaceWith(term.firstChild.textContent);
  section.querySelector('.glossary-more')?.remove();
  section.normalize();
  const lang = getLang();
  const chart = section.querySelector('canvas, table.derivation, table.matrix');
  const beforeChart = (el) => !chart || Boolean(el.compareDocumentPosition(chart) & Node.DOCUMENT_POSITION_FOLLOWING);
  const ahead = []; // terms to list before the first chart
  for (const id of termsOf(lessonId)) {
    const re = GLOSSARY[id].find[lang];
    const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
    let found = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const m = re.exec(node.data);
      if (!m || !markable(node, section)) continue;
      const rest = node.splitText(m.index);
      rest.splitText(m[0].length);
      const term = termElement(id, m[0]);
      rest.replaceWith(term);
      // a control's label sits with the chart it drives: it explains the term there
      found = beforeChart(term) || Boolean(term.closest('label'));
      break;
    }
    if (!found) ahead.push(id);
  }
  if (!ahead.length) return;
  const more = document.createElement('p');
  more.className = 'prose glossary-more';
  more.append(t('gl.more'));
  ahead.forEach((id, i) => more.append(i ? ', ' : ' ', termElement(id, t(`gl.${id}.term`))));
  const intro = section.querySelector(':scope > .prose') || section.querySelector('h2');
  if (intro) {
    intro.after(more);
    more.style.setProperty('--phone-order', intro.style.getPropertyValue('--phone-order') || '0');
  } else {
    section.prepend(more);
  }
}
