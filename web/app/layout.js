// layout.js — a lesson's layout for every screen (web/style.css does the rest):
// its settings in collapsible groups, the chart before the settings that drive
// it on a narrow screen, and the active tab scrolled into view in a tab bar
// that is one row.

/**
 * Wraps every settings box of `section` (.controls[data-box]) that is not
 * already in a <details> into an open <details class="ctl-group">; the group
 * takes the box's data-ctl, so that fig/controls presentations (figures.js)
 * keep or hide the whole group, its summary included.
 */
export function groupControls(section) {
  for (const box of section.querySelectorAll('.controls[data-box]')) {
    if (box.closest('details')) continue;
    const group = document.createElement('details');
    group.className = 'ctl-group';
    group.open = true;
    const summary = document.createElement('summary');
    summary.dataset.i18n = 'ctl.group';
    if (box.dataset.ctl) {
      group.dataset.ctl = box.dataset.ctl;
      delete box.dataset.ctl;
    }
    box.before(group);
    group.append(summary, box);
  }
}

/** Does `el` show a figure that control group `ctl` drives? */
function drives(el, ctl, inFigure) {
  const lists = (e) => (e.dataset.figCtl || '').split(/\s+/).includes(ctl);
  if (lists(el) || [...el.querySelectorAll('[data-fig-ctl]')].some(lists)) return true;
  // a group inside its figure (Vanishing, Exploding) drives that figure's chart
  return inFigure && el.matches('.chart-box, :has(.chart-box)');
}

/**
 * Gives every child of a column holding control groups its place on a narrow
 * screen (--phone-order, used by web/style.css below 600 px): a group (and the
 * groups next to it) moves to just after the first later sibling showing a
 * figure it drives, so a student sees the chart react to the control under it.
 * The document order (and so the keyboard's and a screen reader's) is unchanged.
 */
export function orderForPhone(section) {
  const columns = new Set([...section.querySelectorAll('[data-ctl]')].map((g) => g.parentElement));
  for (const column of columns) {
    const kids = [...column.children];
    const inFigure = column.hasAttribute('data-fig');
    const order = kids.map((_, i) => 2 * i);
    kids.forEach((k, i) => {
      if (!k.dataset.ctl) return;
      const j = kids.findIndex((f, jj) => jj > i && !f.dataset.ctl && drives(f, k.dataset.ctl, inFigure));
      if (j >= 0) order[i] = 2 * j + 1;
    });
    column.classList.add('phone-flow');
    kids.forEach((k, i) => k.style.setProperty('--phone-order', String(order[i])));
  }
}

/** Scrolls the tab bar (not the page) so that `tab` is wholly in view. */
export function revealTab(tab) {
  const bar = tab.parentElement;
  const r = tab.getBoundingClientRect();
  const b = bar.getBoundingClientRect();
  if (r.left < b.left) bar.scrollLeft -= b.left - r.left;
  else if (r.right > b.right) bar.scrollLeft += r.right - b.right;
}
