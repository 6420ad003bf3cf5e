// panel.js — what every panel shares: building its controls from the schema
// and keeping them in step with the state.
import { checkControl, numberControl, selectControl } from '../controls.js';

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
