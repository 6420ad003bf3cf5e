// i18n.js — one message table (English and Simplified Chinese) and t().
// The table is assembled from the page's own messages (messages/common.js)
// and each lesson's (web/lessons/<id>/messages.js, added by the app shell), so
// every user-visible string has exactly one entry.
import common from './messages/common.js';

export const LANGS = ['en', 'zh'];

/** MESSAGES[lang][key] → a string with {name} placeholders. */
export const MESSAGES = { en: {}, zh: {} };

/** Adds a part ({en: {…}, zh: {…}}) to the table; a key defined twice throws. */
export function addMessages(part, origin = 'a part') {
  for (const lang of LANGS) {
    for (const [k, v] of Object.entries(part[lang] || {})) {
      if (k in MESSAGES[lang]) throw new Error(`message '${k}' (${origin}) is defined twice`);
      MESSAGES[lang][k] = v;
    }
  }
}
addMessages(common, 'the page');

let current = 'en';

/** The language of the browser, if it is one we have; else English. */
export function browserLang(nav = globalThis.navigator) {
  const langs = nav ? [...(nav.languages || []), nav.language] : [];
  for (const l of langs) if (l && l.toLowerCase().startsWith('zh')) return 'zh';
  return 'en';
}

export function setLang(lang) { current = LANGS.includes(lang) ? lang : 'en'; }
export function getLang() { return current; }

/** The message `key` in the current language with {placeholders} filled. */
export function t(key, params = {}) {
  const s = MESSAGES[current][key] ?? MESSAGES.en[key];
  if (s === undefined) throw new Error(`no message '${key}'`);
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Fills every [data-i18n] element's text ([data-i18n-html] markup, from our own table
 *  only; [data-i18n-title] its title, [data-i18n-aria-label] its accessible name). */
export function applyI18n(root) {
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-html]').forEach((el) => { el.innerHTML = t(el.dataset.i18nHtml); });
  root.querySelectorAll('[data-i18n-title]').forEach((el) => { el.title = t(el.dataset.i18nTitle); });
  root.querySelectorAll('[data-i18n-aria-label]').forEach((el) => { el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel)); });
}
