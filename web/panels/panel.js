// panel.js — what every panel shares: building its controls from the schema
// and keeping them in step with the state.
import { checkControl, numberControl, selectControl } from '../controls.js';
import { perFrame } from '../charts.js';

/**
 * Builds one control per entry of `layout` ({key, kind: 'number'|'select'|'check',
 * labelKey, optionKey, log, step}) and appends it to `box`.  Returns
 * {controls, sync()} — sync() writes the state back into every widget.
 */
export function buildControls(box, schema, layout, ctx) {
  const controls = {};
  for (const item of layout) {
    const spec = schema[item.key];
    const onChange = (v) => ctx.setState(item.key, v);
    let c;
    if (item.kind === 'select') c = selectControl(item.key, spec, { ...item, onChange });
    else if (item.kind === 'check') c = checkControl(item.key, { ...item, onChange });
    else c = numberControl(item.key, spec, { ...item, onChange, notify: ctx.notify });
    controls[item.key] = c;
    box.append(c.root);
  }
  const sync = () => { for (const [k, c] of Object.entries(controls)) c.set(ctx.state[k]); };
  sync();
  return { controls, sync };
}

/**
 * The update function of a panel: at most once per animation frame, runs
 * `job` (jobs.js) on the current state through ctx.compute and hands the data
 * to apply(data, stateSnapshot).  Every result newer than the one on screen is
 * drawn, so a drag keeps redrawing even when each job takes a few frames; a
 * progress bar appears while the newest request takes longer than a moment.
 */
export function jobUpdater(ctx, job, apply) {
  const { root } = ctx;
  const busy = document.createElement('p');
  busy.className = 'busy';
  busy.hidden = true;
  busy.setAttribute('role', 'status');
  const bar = document.createElement('progress');
  bar.max = 1;
  const label = document.createElement('span');
  label.dataset.i18n = 'app.computing';
  busy.append(bar, ' ', label);
  root.prepend(busy);
  let latest = 0; // the newest request
  let shown = 0; // the request whose result is on screen
  let timer = null;
  const done = () => {
    clearTimeout(timer);
    busy.hidden = true;
    root.removeAttribute('aria-busy');
  };
  return perFrame(() => {
    const ticket = ++latest;
    const snapshot = { ...ctx.state };
    root.setAttribute('aria-busy', 'true');
    bar.removeAttribute('value');
    clearTimeout(timer);
    timer = setTimeout(() => { busy.hidden = false; }, 120);
    ctx.compute.run(job, snapshot, (v) => { if (ticket === latest) bar.value = v; }).then(
      (data) => {
        if (ticket < shown) return; // an even newer result is already drawn
        shown = ticket;
        if (ticket === latest) done();
        try {
          apply(data, snapshot);
          ctx.clearError(root);
        } catch (e) {
          ctx.showError(root, e);
        }
        // How many results have been drawn: tests and the UI benchmark wait on it.
        root.dataset.drawn = String(Number(root.dataset.drawn || 0) + 1);
      },
      (e) => {
        if (e.name === 'Cancelled' || ticket !== latest) return;
        done();
        ctx.showError(root, e);
      },
    );
  });
}
