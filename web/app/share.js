// share.js — the Share / Embed dialog: a link to the view on show (every
// setting and the seed), and the snippets that embed it in a course page — a
// plain iframe, the self-sizing loader (web/embed.js), a Jupyter cell — for
// the whole lesson or one figure, with or without its prose and controls,
// each with the size it will take at the current width.
//
// A modal <dialog>: the page behind is inert, Tab stays inside, Escape
// closes, and the focus returns to the button that opened it.  Copying uses
// navigator.clipboard; where the page may not (file://, an insecure origin, a
// frame without the permission) the text is selected in its box, and a
// visible line says to press Ctrl+C.
import { applyI18n, t } from '../i18n.js';
import { el } from '../controls.js';
import { figureIds, present } from './figures.js';
import { bodyHeight } from './frame.js';

/** The snippets: message key of the label, and how each is written from {url, loader, query, height}. */
const SNIPPETS = [
  { id: 'link', label: 'share.link', text: ({ link }) => link },
  {
    id: 'iframe',
    label: 'share.iframe',
    text: ({ url, height }) => `<iframe src="${attr(url)}" title="GradLab" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`,
  },
  {
    id: 'loader',
    label: 'share.loader',
    text: ({ loader, query }) => `<script src="${attr(loader)}" defer></script>\n<div data-gradlab="${attr(query)}"></div>`,
  },
  {
    id: 'jupyter',
    label: 'share.jupyter',
    text: ({ url, height }) => `from IPython.display import IFrame\nIFrame(${JSON.stringify(url)}, width="100%", height=${height})`,
  },
];

/** A value for a double-quoted HTML attribute. */
const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** The page's address without query or hash (what every snippet points at); from file:// too,
 *  whose location.origin is 'null'. */
const pageUrl = () => location.href.replace(/[?#].*$/s, '');

/** The options of the dialog's form, as presentation keys. */
const OPTIONS = [
  { key: 'prose', label: 'share.noProse', off: true },
  { key: 'controls', label: 'share.noControls', off: true },
  { key: 'langlock', label: 'share.langlock' },
];

/**
 * Wires `button` to the dialog.  page: {link() → the view's query (no
 * presentation keys), section() → the lesson's panel on show,
 * presentation() → the page's own {embed, fig, prose, controls, langlock}}.
 */
export function mountShare(button, page) {
  const dialog = el('dialog', { class: 'share', 'aria-labelledby': 'share-title' });
  const figSelect = el('select', { id: 'share-fig' });
  const checks = OPTIONS.map((o) => ({ ...o, input: el('input', { type: 'checkbox', id: `share-${o.key}` }) }));
  const size = el('p', { class: 'readout', id: 'share-size' });
  const status = el('p', { class: 'note', role: 'status', id: 'share-status' });
  const boxes = {};
  dialog.append(
    el('h2', { id: 'share-title', dataset: { i18n: 'share.title' } }),
    el('p', { class: 'note', dataset: { i18n: 'share.intro' } }),
    el('fieldset', {}, [
      el('legend', { dataset: { i18n: 'share.what' } }),
      el('div', { class: 'control' }, [el('label', { for: 'share-fig', dataset: { i18n: 'share.fig' } }), figSelect]),
      ...checks.map((c) => el('div', { class: 'control check' }, [c.input, el('label', { for: c.input.id, dataset: { i18n: c.label } })])),
    ]),
    size,
    ...SNIPPETS.map((s) => {
      const box = el('textarea', { id: `share-${s.id}`, readonly: '', rows: s.id === 'link' ? 2 : 3, spellcheck: 'false' });
      boxes[s.id] = box;
      const copy = el('button', { type: 'button', id: `share-copy-${s.id}`, 'aria-labelledby': `share-copy-${s.id} share-label-${s.id}`, dataset: { i18n: 'share.copy' } });
      copy.addEventListener('click', () => copyText(box, t(s.label)));
      return el('div', { class: 'share-item', dataset: { snippet: s.id } }, [
        el('label', { for: box.id, id: `share-label-${s.id}`, dataset: { i18n: s.label } }), box, copy]);
    }),
    status,
    el('div', { class: 'buttons' }, [el('button', { type: 'button', class: 'close', dataset: { i18n: 'share.close' } })]),
  );
  document.body.append(dialog);
  dialog.querySelector('button.close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => button.focus());

  /** The presentation the form asks for. */
  const chosen = () => {
    const out = { fig: figSelect.value, embed: true };
    for (const c of checks) out[c.key] = c.off ? !c.input.checked : c.input.checked;
    return out;
  };

  /** The height (and width) of the embed the form describes, measured on the page itself: its classes
   *  set for a moment and restored in the same task, so nothing is painted in between. */
  function measure(opts) {
    const section = page.section();
    present(document.body, section, opts);
    const height = bodyHeight();
    const width = document.documentElement.clientWidth;
    present(document.body, section, page.presentation());
    return { width, height };
  }

  function refresh() {
    const opts = chosen();
    const q = new URLSearchParams(page.link());
    if (opts.fig) q.set('fig', opts.fig);
    for (const c of checks) if (opts[c.key] !== !!c.off) q.set(c.key, opts[c.key] ? '1' : '0'); // not the default
    const query = q.toString();
    q.set('embed', '1');
    const { width, height } = measure(opts);
    const v = {
      link: `${pageUrl()}?${page.link()}`,
      url: `${pageUrl()}?${q}`,
      loader: new URL('web/gen/embed.js', location.href).href,
      query,
      height,
    };
    for (const s of SNIPPETS) boxes[s.id].value = s.text(v);
    size.textContent = t('share.size', { w: width, h: height });
    dialog.dataset.height = String(height);
  }

  async function copyText(box, what) {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(box.value);
      status.textContent = t('share.copied', { what });
      status.className = 'note';
    } catch {
      box.focus();
      box.select();
      status.textContent = t('share.copyFallback');
      status.className = 'notice';
    }
  }

  /** Fills the figure menu with the figures of the lesson on show, each named by its id and title. */
  function listFigures() {
    const section = page.section();
    figSelect.replaceChildren(el('option', { value: '' }, [t('share.whole')]));
    for (const id of figureIds(section)) {
      // named by its chart's accessible title, else its heading (the figure's first element may be it)
      const part = section.querySelector(`[data-fig~="${id}"]`);
      const named = part.querySelector('canvas[title]') || (part.matches('h3, h4') ? part : part.querySelector('h3, h4'));
      const title = (named?.title || named?.textContent || '').trim();
      figSelect.append(el('option', { value: id }, [title ? t('share.figName', { id, title }) : id]));
    }
    const p = page.presentation();
    figSelect.value = figureIds(section).includes(p.fig) ? p.fig : '';
    for (const c of checks) c.input.checked = c.off ? !p[c.key] : !!p[c.key];
  }

  figSelect.addEventListener('change', refresh);
  for (const c of checks) c.input.addEventListener('change', refresh);
  button.addEventListener('click', () => {
    applyI18n(dialog);
    listFigures();
    status.textContent = '';
    dialog.showModal();
    refresh();
  });
  return dialog;
}
