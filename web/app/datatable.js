// datatable.js — a figure's numbers as an HTML table, for a reader who
// cannot see the chart or wants the exact values: the same table the CSV
// export writes (export.js figureData), a caption naming the figure, column
// headers and the x of each row as a row header.  Numbers are written in
// full, as the CSV writes them (non-finite as Infinity, -Infinity, NaN); an
// empty cell: that series has no point at that x.  A large table (a
// heatmap's steps, a fan of trials) shows its first rows and columns and says so.
import { t } from '../i18n.js';
import { finiteOrString } from '../format.js';

/** Most rows and columns a table shows. */
export const MAX_ROWS = 100;
export const MAX_COLS = 12;

const cellText = (v) => (v === null || v === undefined ? '' : String(finiteOrString(v)));

/**
 * Fills `box` with the table of `data` ({columns, rows, notes}) captioned
 * `caption`; its id prefix `id` names the caption (the scrolling region's name).
 */
export function renderTable(box, data, caption, id) {
  const { columns, rows, notes } = data;
  const nc = Math.min(columns.length, MAX_COLS);
  const nr = Math.min(rows.length, MAX_ROWS);
  const table = document.createElement('table');
  table.className = 'data-table';
  const cap = table.createCaption();
  cap.id = `${id}-caption`;
  cap.textContent = t('readers.tableOf', { name: caption });
  const head = table.createTHead().insertRow();
  for (let c = 0; c < nc; c++) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = columns[c];
    head.append(th);
  }
  const body = table.createTBody();
  for (let r = 0; r < nr; r++) {
    const tr = body.insertRow();
    for (let c = 0; c < nc; c++) {
      const cell = document.createElement(c === 0 ? 'th' : 'td');
      if (c === 0) cell.scope = 'row';
      cell.textContent = cellText(rows[r][c]);
      tr.append(cell);
    }
  }
  // scrolls on its own (a phone, a wide heatmap), reachable by keyboard to scroll it
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-labelledby', cap.id);
  scroll.append(table);
  const lines = [...notes];
  if (rows.length > nr) lines.push(t('readers.firstRows', { n: nr, m: rows.length }));
  if (columns.length > nc) lines.push(t('readers.firstCols', { n: nc, m: columns.length }));
  box.replaceChildren(scroll, ...lines.map((text) => {
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = text;
    return p;
  }));
}

/** Fills `box` with a line saying there is nothing to tabulate yet. */
export function renderNothing(box) {
  const p = document.createElement('p');
  p.className = 'note';
  p.textContent = t('readers.notDrawn');
  box.replaceChildren(p);
}
