// frame.js — GradLab inside an iframe: tells the parent window how tall its
// content is, so a course page can size the iframe to fit (no inner
// scrollbar at any width).  The message format is in web/embed-protocol.js.
//
// It trusts nothing from outside but one message: a hello from its own
// parent window (event.source === window.parent), whose optional id it
// echoes in every later height message.  Messages from any other window, of
// any other type or version, or with a malformed id are ignored.
import { HEIGHT, HELLO, VERSION, ID_PATTERN } from '../embed-protocol.js';

/** The body's height in CSS px: its border box and its margins (not the viewport's). */
export function bodyHeight(doc = document) {
  const cs = getComputedStyle(doc.body);
  return Math.ceil(doc.body.getBoundingClientRect().height + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom));
}

/** The height the frame needs: the body's, or an open modal dialog's (in the top layer, outside the body) with room around it. */
export function contentHeight(doc = document) {
  const dialog = doc.querySelector('dialog[open]');
  return Math.max(bodyHeight(doc), dialog ? dialog.scrollHeight + DIALOG_ROOM : 0);
}
/** Room around an open dialog (px): the browser's own margin keeps it off the frame's edges. */
const DIALOG_ROOM = 48;

/**
 * Starts reporting when the page is framed (window.parent !== window);
 * returns {report()} (report() sends the height if it changed), or null
 * when the page is not in a frame.
 */
export function reportHeight(win = window) {
  if (win.parent === win) return null;
  let id;
  let last = -1;
  const send = (force) => {
    const height = contentHeight(win.document);
    if (!force && height === last) return;
    last = height;
    const msg = { type: HEIGHT, version: VERSION, height };
    if (id !== undefined) msg.id = id;
    // The height is no secret and the parent's origin is not known (any
    // course page may embed GradLab): '*' is the right target.
    win.parent.postMessage(msg, '*');
  };
  win.addEventListener('message', (e) => {
    if (e.source !== win.parent) return;
    const d = e.data;
    if (!d || typeof d !== 'object' || d.type !== HELLO || d.version !== VERSION) return;
    if (d.id !== undefined && !(typeof d.id === 'string' && ID_PATTERN.test(d.id))) return;
    id = d.id;
    send(true);
  });
  // The body's size follows its content (text, a new language, controls
  // shown or hidden, a chart's readout) and the frame's width.
  const ro = new ResizeObserver(() => send(false));
  ro.observe(win.document.body);
  // the top layer (an open dialog) is outside the body: its opening and closing are watched too
  new MutationObserver(() => send(false)).observe(win.document.body, { subtree: true, attributes: true, attributeFilter: ['open'] });
  send(true);
  return { report: () => send(false) };
}
