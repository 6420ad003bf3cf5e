// theme.js — light or dark, and whether the page may move.  The colours
// themselves live once, in web/style.css (custom properties on :root, the
// dark values under :root[data-theme=dark]); this module only decides which
// set is on (<html data-theme>), from the reader's choice (the page key
// 'theme': auto | light | dark) and, for auto, prefers-color-scheme.  Charts
// and canvases read the same properties through cssColor().

export const THEMES = ['auto', 'light', 'dark'];

const darkQuery = () => globalThis.matchMedia?.('(prefers-color-scheme: dark)');
const motionQuery = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');

let choice = 'auto';
const listeners = new Set();

/** 'light' or 'dark': the choice, or for 'auto' what the system prefers. */
export function resolvedTheme() {
  if (choice !== 'auto') return choice;
  return darkQuery()?.matches ? 'dark' : 'light';
}

function apply() {
  const theme = resolvedTheme();
  if (document.documentElement.dataset.theme === theme) return;
  document.documentElement.dataset.theme = theme;
  for (const fn of listeners) fn(theme);
}

/** Sets the reader's choice (auto | light | dark) and applies it. */
export function setTheme(value) {
  choice = THEMES.includes(value) ? value : 'auto';
  apply();
}

/** Calls fn(theme) whenever the colours on show change (a choice, or the system's under auto). */
export function onThemeChange(fn) { listeners.add(fn); }

// Under auto, the page follows the system as it changes (evening mode, DevTools' emulation).
darkQuery()?.addEventListener?.('change', apply);

/** The colour custom property `name` ('--fg') as the page resolves it now. */
export function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** True when the reader asked for reduced motion: nothing animates, changes are shown at once. */
export function reducedMotion() {
  return !!motionQuery()?.matches;
}

/** Calls fn(reduced) when the reduced-motion preference changes. */
export function onMotionChange(fn) {
  motionQuery()?.addEventListener?.('change', () => fn(reducedMotion()));
}
