/* gloss: find in this transcript. A find bar that searches the words the
   reader sees: the cleaned text, or the verbatim text while "Show verbatim" is
   on (removed words and heard forms then count, the corrections do not). Case
   and accents do not matter, and a match may run across the page's own markup
   within a paragraph. Every hit is highlighted with the CSS Custom Highlight
   API, so the page's markup is left as it is; where that API is missing, the
   count and the scrolling still work. A hit inside a folded cut opens it.
   Opened by the "Find" buttons this script adds (the page head, and the page's
   tools on a long page) or by "/" when no text field has the focus; the
   browser's own Ctrl-F is left alone. Enter goes to the next hit, Shift+Enter
   to the one before, Escape closes. The bar and its buttons are made here, so
   a page read without JavaScript shows none of them (and a site built with
   `search: false` has no form in its HTML). Nothing is fetched: the page is
   the index. Styles: static/find.css. */
(() => {
  "use strict";
  const turns = document.querySelector(".turns");
  const article = turns && turns.closest("article");
  if (!turns || !article || document.getElementById("find")) return;

  const ICONS = { prev: "M6 15l6-6 6 6", next: "M6 9l6 6 6-6", close: "M6 6l12 12M18 6L6 18" };
  const form = document.createElement("form");
  form.className = "find";
  form.id = "find";
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", "Find in this transcript");
  form.hidden = true;
  form.innerHTML = `<label class="visually-hidden" for="find-q">Find in this transcript</label>
    <input id="find-q" type="search" placeholder="Find in transcript" autocomplete="off"
      spellcheck="false" enterkeyhint="next" aria-describedby="find-count">
    <span class="find-count" id="find-count" role="status"></span>
    ${[["prev", "Previous match"], ["next", "Next match"], ["close", "Close find"]].map(([name, label]) =>
      `<button type="button" class="find-${name}" aria-label="${label}"${name === "close" ? "" : " disabled"}>` +
      `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${ICONS[name]}"/></svg></button>`).join("")}`;
  article.append(form);  // last: Tab from the bar goes on to the page's end, not its top
  const field = form.querySelector("input");
  const count = form.querySelector(".find-count");
  const prevButton = form.querySelector(".find-prev");
  const nextButton = form.querySelector(".find-next");
  const closeButton = form.querySelector(".find-close");
  const switcher = document.getElementById("show-verbatim");
  const motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  const painter = window.CSS && CSS.highlights && typeof Highlight === "function" ? CSS.highlights : null;

  // What each view hides: the verbatim switch shows removed words and what was
  // heard, and hides the corrections; the ¶ link is never text to find.
  const HIDDEN = {
    clean: "del.rm, .chg .v, a.pl",
    verbatim: ".chg .c, a.pl",
  };
  const view = () => (switcher && switcher.checked ? "verbatim" : "clean");

  // One character as compared: lower case, without accents, one kind of quote
  // and hyphen, so "cafe" finds "Café" and "don't" finds "don’t".
  const QUOTES = { "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                   "\u2010": "-", "\u2011": "-", "\u00ad": "" };
  function fold(ch) {
    if (ch in QUOTES) return QUOTES[ch];
    const lower = ch.toLowerCase();
    const base = lower.normalize("NFD")[0] || lower;
    return base.length === 1 ? base : ch;
  }
  const MARK = /\p{M}/u;
  const SPACE = /\s/;

  /* The text of every paragraph as the view shows it, in one string (paragraphs
     apart by "\n", which a query never holds), with where each character sits
     in the page: a text node and offsets, to make a Range of any match. */
  function indexFor(mode) {
    const hidden = HIDDEN[mode];
    const text = [], nodes = [], starts = [], ends = [];
    const filter = {
      acceptNode: (n) => (n.nodeType === 1
        ? (n.hidden || n.matches(hidden) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP)
        : NodeFilter.FILTER_ACCEPT),
    };
    for (const para of turns.querySelectorAll(".speech p[id]")) {
      if (para.closest("aside")) continue;
      if (text.length) { text.push("\n"); nodes.push(null); starts.push(0); ends.push(0); }
      const begin = text.length;
      const walker = document.createTreeWalker(para, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, filter);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const data = node.data;
        for (let i = 0; i < data.length; i++) {
          const ch = data[i];
          if (SPACE.test(ch)) {  // runs of space, across elements too, are one space
            if (text.length === begin || text[text.length - 1] === " ") continue;
            text.push(" "); nodes.push(node); starts.push(i); ends.push(i + 1);
          } else if (MARK.test(ch) && text.length > begin && nodes[nodes.length - 1] === node) {
            ends[ends.length - 1] = i + 1;  // a combining accent belongs to its letter
          } else {
            const f = fold(ch);
            if (!f) continue;
            text.push(f); nodes.push(node); starts.push(i); ends.push(i + 1);
          }
        }
      }
      if (text[text.length - 1] === " " && text.length > begin) {  // no trailing space
        text.pop(); nodes.pop(); starts.pop(); ends.pop();
      }
    }
    return { text: text.join(""), nodes, starts, ends };
  }

  // The index is kept per view until the transcript's text changes.
  const indexes = {};
  new MutationObserver(() => { delete indexes.clean; delete indexes.verbatim; })
    .observe(turns, { childList: true, characterData: true, subtree: true });
  const index = (mode) => indexes[mode] || (indexes[mode] = indexFor(mode));

  function normalQuery(q) {
    return Array.from(q.replace(/\s+/g, " ").trim(), (ch) => (ch === " " ? " " : fold(ch))).join("");
  }

  function positions(idx, q) {
    const found = [];
    if (!q) return found;
    for (let at = idx.text.indexOf(q); at >= 0; at = idx.text.indexOf(q, at + q.length)) found.push(at);
    return found;
  }

  function rangeAt(idx, at, length) {
    const last = at + length - 1;
    const range = document.createRange();
    range.setStart(idx.nodes[at], idx.starts[at]);
    range.setEnd(idx.nodes[last], idx.ends[last]);
    return range;
  }

  // State: the query as compared, its hits (Ranges), which one is current, and
  // whether the current one has been brought into view since it became current.
  let query = "";
  let hits = [];
  let current = -1;
  let shown = false;
  let elsewhere = 0;  // hits only the other view has (told when this one has none)

  // Every hit in one highlight (made again only when the hits change), the
  // current one in another, painted over it.
  let painted = null;
  function paint() {
    if (!painter) return;
    if (form.hidden || !hits.length) {
      painter.delete("gloss-find");
      painter.delete("gloss-find-current");
      painted = null;
      return;
    }
    if (painted !== hits) painter.set("gloss-find", new Highlight(...hits));
    painted = hits;
    const now = new Highlight(hits[current]);
    now.priority = 1;
    painter.set("gloss-find-current", now);
  }

  function tell() {
    const none = !hits.length;
    prevButton.disabled = nextButton.disabled = none;
    const note = Boolean(query && none && elsewhere && view() === "clean");
    form.classList.toggle("find-elsewhere", note);  // a longer line: under the field
    if (!query) count.textContent = "";
    else if (note) count.textContent = `No matches · ${elsewhere} in the verbatim text`;
    else if (none) count.textContent = "No matches";
    else count.textContent = `${current + 1} of ${hits.length}`;
  }

  // What covers the top and the bottom of the window: a sticky player (where it
  // will sit once the window is at `target`, a node; without one, now), a
  // fixed bar, the page's tools, this find bar.
  function covered(target) {
    let top = 0, bottom = window.innerHeight;
    for (const el of document.querySelectorAll("body > *, main > *, article > *, [data-player], [data-sticky]")) {
      if (el === form) continue;
      const style = getComputedStyle(el);
      if (style.position !== "sticky" && style.position !== "fixed") continue;
      const rect = el.getBoundingClientRect();
      if (!rect.height || style.visibility === "hidden") continue;
      if (style.position === "sticky") {
        const at = parseFloat(style.top);
        if (isNaN(at)) continue;
        const stuck = target
          ? el.parentElement.contains(target) && el.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING
          : rect.top <= at + 1;
        if (stuck) top = Math.max(top, at + rect.height);
      } else if (rect.top < window.innerHeight / 2) top = Math.max(top, rect.bottom);
      else bottom = Math.min(bottom, rect.top);
    }
    if (!form.hidden) bottom = Math.min(bottom, form.getBoundingClientRect().top);
    return { top, bottom };
  }

  function reveal(range) {
    const cut = range.startContainer.parentElement.closest("details");
    if (cut && !cut.open) cut.open = true;
    const rect = range.getClientRects()[0] || range.getBoundingClientRect();
    const band = covered(range.startContainer);
    const margin = 12;
    if (rect.top >= band.top + margin && rect.bottom <= band.bottom - margin) return;
    const y = window.scrollY + rect.top - band.top - Math.max(margin, (band.bottom - band.top) / 3);
    window.scrollTo({ top: Math.max(0, y), behavior: motion && motion.matches ? "instant" : "smooth" });
  }

  function show() {
    paint();
    tell();
    if (current >= 0) { reveal(hits[current]); shown = true; }
  }

  // Where a hit is on the screen; one in a folded cut is where the fold is.
  function where(range) {
    const folded = range.startContainer.parentElement.closest("details:not([open])");
    return folded ? folded.getBoundingClientRect() : (range.getClientRects()[0] || range.getBoundingClientRect());
  }

  // The first hit at or below the top of what the reader sees.
  function firstInView(candidates) {
    const band = covered(null);
    let lo = 0, hi = candidates.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (where(candidates[mid]).bottom < band.top) lo = mid + 1; else hi = mid;
    }
    return lo < candidates.length ? lo : 0;
  }

  /* Search again: a new query, or the same one in the other view. The current
     hit stays where it was or moves to the next one after it, so that typing
     more letters or turning the switch keeps the reader's place. */
  function search(scroll) {
    const mode = view();
    const q = normalQuery(field.value);
    const anchor = current >= 0 ? hits[current] : null;
    const idx = index(mode);
    const found = positions(idx, q);
    hits = found.map((at) => rangeAt(idx, at, q.length));
    const other = mode === "clean" && q && !found.length ? positions(index("verbatim"), q).length : 0;
    query = q;
    elsewhere = other;
    if (!hits.length) current = -1;
    else if (anchor) {
      // The first hit that ends after the old one starts: the same words, or
      // the next ones, whether the query grew, shrank or changed.
      current = hits.findIndex((r) => r.compareBoundaryPoints(Range.START_TO_END, anchor) > 0);
      if (current < 0) current = 0;
    } else current = firstInView(hits);
    shown = false;
    if (scroll) show();
    else { paint(); tell(); }
  }

  function step(by) {
    if (!hits.length) return;
    if (!shown) { show(); return; }  // first bring the current hit back into view
    current = (current + by + hits.length) % hits.length;
    show();
  }

  // Opening and closing.
  const triggers = [];
  let returnTo = null;
  function open() {
    if (form.hidden) {
      returnTo = document.activeElement && document.activeElement !== document.body ? document.activeElement : null;
      form.hidden = false;
      triggers.forEach((b) => b.setAttribute("aria-expanded", "true"));
      fitAboveKeyboard();
      if (field.value) search(false);
    }
    field.focus();
    field.select();
  }
  function close() {
    form.hidden = true;
    triggers.forEach((b) => b.setAttribute("aria-expanded", "false"));
    hits = []; current = -1; query = "";
    paint();
    tell();
    const back = returnTo && returnTo.isConnected && !form.contains(returnTo) ? returnTo : null;
    returnTo = null;
    if (back) back.focus({ preventScroll: true });
    else if (form.contains(document.activeElement)) document.activeElement.blur();
  }

  function trigger(className, text) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.textContent = text;
    button.setAttribute("aria-controls", form.id);
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-keyshortcuts", "/");
    button.addEventListener("click", () => (form.hidden || button.classList.contains("find-open") ? open() : close()));
    triggers.push(button);
    return button;
  }

  // The page head: a "Find" button on the verbatim switch's line (or a line of
  // its own); the page's tools on a long page: a "Find" tool before "Top".
  const head = document.querySelector(".page-head");
  if (head) {
    let line = head.querySelector(".view");
    if (!line) {
      line = document.createElement("p");
      line.className = "view";
      head.append(line);
    }
    const button = trigger("find-open", "Find in transcript");
    const key = document.createElement("kbd");
    key.textContent = "/";
    key.setAttribute("aria-hidden", "true");
    button.append(" ", key);
    line.append(" ", button);
  }
  const tools = document.querySelector(".page-tools");
  if (tools) {
    const tool = trigger("tool tool-find", "Find");
    const top = tools.querySelector('a[href="#top"]');
    tools.insertBefore(tool, top && top.parentElement === tools ? top : null);
  }

  // Typing searches (after a pause, longer for one letter, which finds much).
  let typing = 0;
  field.addEventListener("input", () => {
    clearTimeout(typing);
    const q = normalQuery(field.value);
    if (!q) { current = -1; search(false); return; }
    typing = setTimeout(() => { typing = 0; search(true); }, q.length < 2 ? 300 : 120);
  });
  function flush() {  // Enter right after typing: search now, not after the pause
    if (!typing) return false;
    clearTimeout(typing);
    typing = 0;
    if (normalQuery(field.value) === query) return false;
    search(true);
    return true;
  }
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.isComposing) {
      event.preventDefault();
      if (!flush()) step(event.shiftKey ? -1 : 1);
    }
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  document.addEventListener("keydown", (event) => {  // after a click in the text, too
    if (event.key === "Escape" && !form.hidden && document.activeElement === document.body) close();
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); if (!flush()) step(1); });
  prevButton.addEventListener("click", () => { if (!flush()) step(-1); });
  nextButton.addEventListener("click", () => { if (!flush()) step(1); });
  closeButton.addEventListener("click", close);
  if (switcher) switcher.addEventListener("change", () => { if (!form.hidden && field.value) search(false); });

  // "/" opens the find bar, unless the reader is typing somewhere: a text
  // field keeps its slash. Ctrl-F (or Cmd-F) stays the browser's.
  const NOT_TEXT = /^(checkbox|radio|button|submit|reset|range|color|file|image)$/;
  function typingIn(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !NOT_TEXT.test(el.type);
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (event.isComposing || typingIn(event.target) || typingIn(document.activeElement)) return;
    event.preventDefault();
    open();
  });

  // On a phone the on-screen keyboard covers the bottom of the window: the bar
  // stays above it.
  function fitAboveKeyboard() {
    const vv = window.visualViewport;
    if (!vv) return;
    const zoomed = Math.abs(vv.scale - 1) > 0.01;  // pinch zoom is no keyboard
    const hidden = zoomed ? 0 : Math.max(0, window.innerHeight - vv.height - vv.offsetTop);
    form.style.setProperty("--keyboard", `${Math.round(hidden)}px`);
  }
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fitAboveKeyboard);
    window.visualViewport.addEventListener("scroll", fitAboveKeyboard);
  }

  tell();
})();
