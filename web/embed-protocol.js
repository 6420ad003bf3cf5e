// embed-protocol.js — the messages between an embedded GradLab page and the
// course page around it (docs/embed.md, "Messages"), shared by both sides:
// web/app/frame.js (in the iframe) and web/embed.js (the loader).
//
//   iframe → parent  {type: 'gradlab:height', version: 1, height, id?}
//     the page's content height in CSS px, whenever it changes; id echoes
//     the parent's hello (absent before one)
//   parent → iframe  {type: 'gradlab:hello', version: 1, id?}
//     the only message the page accepts, and only from its parent window:
//     asks for the height now; id (≤ 64 of [A-Za-z0-9_.:-]) is echoed

export const HEIGHT = 'gradlab:height';
export const HELLO = 'gradlab:hello';
export const VERSION = 1;
/** An id the page echoes: short and plain, so it is never markup or a URL. */
export const ID_PATTERN = /^[\w.:-]{1,64}$/;
/** Heights outside 1…MAX_HEIGHT px are ignored by the loader. */
export const MAX_HEIGHT = 100000;
