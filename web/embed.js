// embed.js — GradLab's loader for course pages, built (minified, no
// dependencies, < 3 KB) into web/gen/embed.js by build-wasm.sh:
//
//   <script src="https://…/web/gen/embed.js" defer></script>
//   <div data-gradlab="tab=exploding&fig=norms"></div>
//
// turns each [data-gradlab] element into an iframe of GradLab's page with
// those keys and embed=1, created when it comes near the viewport
// (IntersectionObserver; at once without one), and sizes it to the height
// the page reports.  GradLab's page and origin are those of this script's own
// src; a height message counts only if it comes from that origin and from
// that very iframe's window.  Optional attributes: data-title (the iframe's
// accessible name), data-height (px before the first report; 480).
import { HEIGHT, HELLO, VERSION, MAX_HEIGHT } from './embed-protocol.js';

(() => {
  const script = document.currentScript;
  if (!script || !script.src) return;
  const origin = new URL(script.src).origin;
  const page = new URL('../../index.html', script.src).href;
  const frames = new Set();
  let n = 0;

  addEventListener('message', (e) => {
    const d = e.data;
    if (e.origin !== origin || !d || d.type !== HEIGHT || d.version !== VERSION) return;
    for (const f of frames) {
      if (f.contentWindow === e.source && d.height >= 1 && d.height <= MAX_HEIGHT) f.style.height = `${Math.ceil(d.height)}px`;
    }
  });

  function create(box) {
    const q = new URLSearchParams(box.dataset.gradlab);
    q.set('embed', '1');
    const f = document.createElement('iframe');
    const id = `gradlab-${++n}`;
    f.src = `${page}?${q}`;
    f.title = box.dataset.title || 'GradLab';
    f.style.width = '100%';
    f.style.border = '0';
    f.style.display = 'block';
    f.style.height = `${Number(box.dataset.height) || 480}px`;
    f.setAttribute('scrolling', 'no');
    // the page reports its height on its own; the hello asks again once it has loaded
    f.addEventListener('load', () => f.contentWindow.postMessage({ type: HELLO, version: VERSION, id }, origin));
    frames.add(f);
    box.append(f);
  }

  const io = 'IntersectionObserver' in window && new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (e.isIntersecting) {
        io.unobserve(e.target);
        create(e.target);
      }
    }
  }, { rootMargin: '200px' });

  function scan() {
    for (const box of document.querySelectorAll('[data-gradlab]:not([data-gradlab-on])')) {
      box.setAttribute('data-gradlab-on', '');
      if (io) io.observe(box);
      else create(box);
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
  // for pages that add boxes later
  window.GradLabEmbed = { scan };
})();
