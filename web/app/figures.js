// figures.js — how much of a lesson the page shows: one figure of it
// (fig=<id>), without its prose (prose=0), without its controls (controls=0).
// For course pages that embed GradLab (docs/embed.md lists every id).
//
// The lessons' templates mark what belongs to what:
//   data-fig="id …"       an element of figure `id` (a figure may have several:
//                         Training's heatmaps are one canvas per lane)
//   data-fig-ctl="a b"    on a figure's element: the control groups that drive it
//   data-ctl="a"          a control group (settings, buttons): hidden by controls=0
//   class="prose"         explanatory text: hidden by prose=0
// Showing one figure keeps its elements, its control groups, the lesson's
// title and its error line, and every ancestor of those; the stylesheet hides
// every other child of an ancestor (body.fig-only [data-keep-path] > …).

/** What a figure id may look like in a URL (the page key's pattern). */
export const FIG_PATTERN = /^[a-z][a-zA-Z0-9]{0,31}$/;

/** The figure ids of a lesson's section, in document order. */
export function figureIds(section) {
  const ids = [];
  for (const el of section.querySelectorAll('[data-fig]')) {
    for (const id of el.dataset.fig.split(/\s+/)) if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * Marks figure `fig` of `section` and what it needs as kept (data-keep) and
 * their ancestors up to the section as its path (data-keep-path); returns
 * false (marking nothing) when the section has no such figure.
 */
export function keepFigure(section, fig) {
  if (!figureIds(section).includes(fig)) return false;
  const parts = [...section.querySelectorAll('[data-fig]')].filter((el) => el.dataset.fig.split(/\s+/).includes(fig));
  const groups = new Set(parts.flatMap((el) => (el.dataset.figCtl || '').split(/\s+/).filter(Boolean)));
  const controls = [...section.querySelectorAll('[data-ctl]')].filter((el) => groups.has(el.dataset.ctl));
  const title = section.querySelector('h2');
  for (const el of [...parts, ...controls, ...(title ? [title] : [])]) {
    el.dataset.keep = '';
    for (let a = el.parentElement; a && a !== section.parentElement; a = a.parentElement) a.dataset.keepPath = '';
  }
  return true;
}

/** Every body class present() may set. */
const CLASSES = ['embed', 'fig-only', 'no-prose', 'no-controls', 'langlock'];

/**
 * Shows `section` (a lesson's panel) as the presentation keys ask — {embed,
 * fig, prose, controls, langlock}: sets the body's classes and marks the
 * figure (keepFigure).  Returns false when `fig` is given and the section has
 * no such figure (then the whole lesson shows).  present(…) again replaces
 * what the last call did: the Share dialog measures other presentations with it.
 */
export function present(body, section, { embed, fig, prose, controls, langlock }) {
  for (const el of section.querySelectorAll('[data-keep], [data-keep-path]')) {
    delete el.dataset.keep;
    delete el.dataset.keepPath;
  }
  delete section.dataset.keepPath;
  const found = fig ? keepFigure(section, fig) : true;
  const on = { embed, 'fig-only': fig && found, 'no-prose': !prose, 'no-controls': !controls, langlock };
  for (const c of CLASSES) body.classList.toggle(c, !!on[c]);
  return found;
}
