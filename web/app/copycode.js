// copycode.js — "Copy as PyTorch": the lesson's experiment, with the settings
// on show, as a short Python snippet (torch only) for the learner's notebook.
// A lesson offers it by a pytorch(state, {url}) → string (web/lessons/<id>/pytorch.js);
// the runtime calls mountCopyCode(ctx) once the view is built, and the button
// goes after the lesson's title.  Where the clipboard refuses (no permission,
// an insecure origin, file://), the code is shown in a read-only text box,
// selected, for the learner to copy.
import { t } from '../i18n.js';

/** Adds the "Copy as PyTorch" button under ctx.root's first heading, if the lesson has a pytorch(). */
export function mountCopyCode(ctx) {
  const { root, lesson } = ctx;
  if (typeof lesson.pytorch !== 'function') return;
  const box = document.createElement('div');
  box.className = 'copycode';
  box.innerHTML = `<div class="buttons"><button type="button" data-act="pytorch" data-i18n="export.pytorch"></button></div>
    <p class="note" role="status" data-out="copied"></p>
    <label hidden><span data-i18n="export.codeLabel"></span><textarea readonly rows="12" spellcheck="false"></textarea></label>`;
  const status = box.querySelector('[data-out=copied]');
  const fallback = box.querySelector('label');
  const area = box.querySelector('textarea');
  box.querySelector('button').addEventListener('click', async () => {
    const code = lesson.pytorch({ ...ctx.state }, { url: ctx.settingsUrl() });
    area.value = code;
    try {
      if (!globalThis.navigator?.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(code);
      status.textContent = t('export.copied');
      fallback.hidden = true;
    } catch {
      status.textContent = t('export.noClipboard');
      fallback.hidden = false;
      area.focus();
      area.select();
    }
  });
  const title = root.querySelector('h2');
  if (title) title.after(box);
  else root.prepend(box);
}
