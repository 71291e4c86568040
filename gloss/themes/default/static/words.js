// The spoken word, lit up; a click on a word plays from it. Only where the
// source gives finer times than a paragraph's: each paragraph's `data-cues`
// holds, for each cue (a word, where the source times words), its offset in
// the paragraph's verbatim text and its start, each as the difference from the
// one before ("0,0 8,31": hundredths of a second, the first from the
// paragraph's `data-start`). The page is not changed: the word is marked with
// the CSS Custom Highlight API, where the browser has it.
(() => {
  "use strict";
  const media = document.querySelector(".player audio, .player video");
  const paragraphs = [...document.querySelectorAll(".speech p[data-cues]")];
  if (!media || !paragraphs.length) return;
  const lit = "CSS" in window && "highlights" in CSS && typeof Highlight === "function"; // (styled in player.css)
  const verbatim = document.getElementById("show-verbatim");
  const cache = new WeakMap();

  /** A paragraph's cues: offsets in its verbatim text, starts in seconds. */
  function cues(p) {
    let found = cache.get(p);
    if (found) return found;
    const offsets = [], starts = [];
    let offset = 0, time = Math.round(parseFloat(p.dataset.start || "0") * 100);
    for (const pair of p.dataset.cues.split(" ")) {
      const [d, t] = pair.split(",").map(Number);
      offset += d; time += t;
      offsets.push(offset); starts.push(time / 100);
    }
    found = { offsets, starts, nodes: textNodes(p) };
    cache.set(p, found);
    return found;
  }

  /** The paragraph's text nodes in verbatim order, each with the verbatim
   * offset it starts at: the clean form of a change (`.chg .c`), the ¶ link
   * and the empty alias are not verbatim text. */
  function textNodes(p) {
    const out = [];
    let at = 0;
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => n.parentElement.closest(".chg .c, a.pl") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      out.push([n, at]);
      at += n.data.length;
    }
    return out;
  }

  /** The range of the word that starts at verbatim offset `offset`, as the reader
   * sees it now: a corrected word in the clean view is its clean form. */
  function wordRange(p, offset) {
    const { nodes } = cues(p);
    for (let i = 0; i < nodes.length; i++) {
      const [node, start] = nodes[i];
      if (offset < start || offset >= start + node.data.length) continue;
      const change = node.parentElement.closest(".chg");
      const range = document.createRange();
      if (change && !(verbatim && verbatim.checked)) {
        const shown = change.querySelector(".c") || change;
        range.selectNodeContents(shown);
        const next = nodes[i + 1];
        if (change.classList.contains("case") && next && !next[0].parentElement.closest(".chg")) {
          // A capital given to a word's first letter: the word goes on after it.
          const length = next[0].data.search(/\s/);
          range.setEnd(next[0], length < 0 ? next[0].data.length : length);
        }
        return range;
      }
      const from = offset - start;
      const rest = node.data.slice(from);
      const length = rest.search(/\s/);
      range.setStart(node, from);
      range.setEnd(node, from + (length < 0 ? rest.length : length));
      return range;
    }
    return null;
  }

  /** The paragraph being spoken at `t` and the index of its cue, or null. */
  function at(t) {
    let lo = 0, hi = paragraphs.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (parseFloat(paragraphs[mid].dataset.start || "0") <= t) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return null;
    const p = paragraphs[best];
    const { starts } = cues(p);
    let k = -1;
    for (let i = 0; i < starts.length && starts[i] <= t; i++) k = i;
    return k < 0 ? null : [p, k];
  }

  let shown = null;
  function light() {
    if (!lit) return;
    const now = at(media.currentTime);
    const key = now && now[0].id + ":" + now[1] + ":" + (verbatim && verbatim.checked);
    if (key === shown) return;
    shown = key;
    const range = now && wordRange(now[0], cues(now[0]).offsets[now[1]]);
    if (range) CSS.highlights.set("spoken-word", new Highlight(range));
    else CSS.highlights.delete("spoken-word");
  }
  let frame = 0;
  const tick = () => { light(); frame = media.paused ? 0 : requestAnimationFrame(tick); };
  media.addEventListener("play", () => { if (!frame) frame = requestAnimationFrame(tick); });
  media.addEventListener("timeupdate", light);
  media.addEventListener("seeked", light);
  if (verbatim) verbatim.addEventListener("change", light);

  /** A click on a word (not a link, not the end of a selection) plays from it. */
  document.addEventListener("click", (event) => {
    const p = event.target.closest && event.target.closest(".speech p[data-cues]");
    if (!p || event.target.closest("a, button") || !getSelection().isCollapsed) return;
    const caret = document.caretPositionFromPoint
      ? document.caretPositionFromPoint(event.clientX, event.clientY)
      : document.caretRangeFromPoint && document.caretRangeFromPoint(event.clientX, event.clientY);
    if (!caret) return;
    const node = caret.offsetNode || caret.startContainer;
    const offset = caret.offset !== undefined ? caret.offset : caret.startOffset;
    const { nodes, offsets, starts } = cues(p);
    let verbatimAt = null;
    for (const [n, start] of nodes) if (n === node) verbatimAt = start + offset;
    if (verbatimAt === null) {
      const change = node.parentElement && node.parentElement.closest(".chg");
      const heard = change && change.querySelector(".v");
      const first = heard && nodes.find(([n]) => heard.contains(n));
      if (!first) return;
      verbatimAt = first[1];
    }
    let k = 0;
    for (let i = 0; i < offsets.length && offsets[i] <= verbatimAt; i++) k = i;
    media.currentTime = starts[k];
    if (media.paused) media.play().catch(() => {});
  });
})();
