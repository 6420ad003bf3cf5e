// panel.js — what every panel shares: building its controls from the schema
// and keeping them in step with the state.
import { checkControl, numberControl, selectControl } from '../controls.js';
import { RESTART_AFTER } from '../compute.js';

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

/** A request in flight longer than this is superseded at once by a newer one
 *  (compute.js then abandons it); a quicker one is let finish first (ms). */
const SUPERSEDE_AFTER = RESTART_AFTER;

/**
 * The update function of a panel: runs `job` (jobs.js) on the current state
 * through ctx.compute and hands the data to apply(data, stateSnapshot), which
 * may return a promise (drawing in several tasks) resolving to false if it
 * gave way to a newer result.  With
 * nothing in flight the request leaves at once (no wait for a frame); while
 * one is in flight, further updates are coalesced into one request sent when
 * it returns — or at once if it has taken longer than SUPERSEDE_AFTER.  Every
 * result newer than the one on screen is drawn, so a drag keeps redrawing; a
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
  let inFlight = null; // {ticket, sent} of the newest request not yet answered
  let dirty = false; // the state changed since the request in flight was sent
  const done = () => {
    clearTimeout(timer);
    busy.hidden = true;
    root.removeAttribute('aria-busy');
  };
  const settle = (ticket) => {
    if (inFlight && inFlight.ticket === ticket) inFlight = null;
    if (!inFlight && dirty) send();
  };

  function send() {
    dirty = false;
    const ticket = ++latest;
    const snapshot = { ...ctx.state };
    inFlight = { ticket, sent: performance.now() };
    root.setAttribute('aria-busy', 'true');
    bar.removeAttribute('value');
    clearTimeout(timer);
    timer = setTimeout(() => { busy.hidden = false; }, 120);
    ctx.compute.run(job, snapshot, (v) => { if (ticket === latest) bar.value = v; }).then(
      async (data) => {
        if (ticket > shown) {
          shown = ticket;
          if (ticket === latest) done();
          // apply may draw in several tasks (a promise), and gives up with
          // false when a newer result has taken over: only a finished drawing
          // is counted.
          let finished = true;
          try {
            finished = (await apply(data, snapshot)) !== false;
            ctx.clearError(root);
          } catch (e) {
            ctx.showError(root, e);
          }
          // How many results have been drawn: tests and the UI benchmark wait on it.
          if (finished) root.dataset.drawn = String(Number(root.dataset.drawn || 0) + 1);
        }
        settle(ticket);
      },
      (e) => {
        if (e.name !== 'Cancelled' && ticket === latest) {
          done();
          ctx.showError(root, e);
        }
        settle(ticket);
      },
    );
  }

  return () => {
    if (inFlight && performance.now() - inFlight.sent < SUPERSEDE_AFTER) {
      dirty = true;
      return;
    }
    send();
  };
}

/**
 * Resolves in a new task (a MessageChannel message: no timer clamping), so
 * that a long drawing can let the browser handle input between its parts.
 */
export function nextTask() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
