// Search across every transcript with Pagefind's small JavaScript API.
//
// Each result is one record: a few minutes of ONE speaker in one episode (see
// gloss/search.py). It is shown under that speaker's name, with up to three of its
// paragraphs that matched, each a link to the paragraph itself. Result text is
// built from text nodes and <mark> elements only: nothing from the index is ever
// parsed as HTML.

const root = new URL("../", import.meta.url); // this file is static/search.js
const form = document.querySelector("[data-search]");
const input = form.querySelector("input[name=q]");
const panel = form.querySelector("[data-filters]");
const selects = [...form.querySelectorAll("select[data-filter]")];
const statusLine = document.querySelector("[data-status]");
const list = document.querySelector("[data-results]");
const more = document.querySelector("[data-more]");
document.querySelector("[data-nojs]").hidden = true;
form.hidden = false;

const BATCH = 6; // records shown at a time: each costs one small download
const PASSAGES = 3; // paragraphs shown per record at most
const WORDS = 32; // words of context per paragraph
const HEARD_OPEN = "\u3014", HEARD_CLOSE = "\u3015"; // around a misheard form (search.py)
const TIME = "@"; // an anchor id starting with this gives the next paragraph's time
const EDGES = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su; // punctuation, word, punctuation

// The commonest English words: each fills an index chunk of its own (hundreds of KB
// on a large site) and narrows nothing, so an unquoted query leaves them out when it
// has other words. A phrase in quotes keeps every word, to match it exactly.
const COMMON = new Set(document.documentElement.lang.toLowerCase().startsWith("en")
  ? ("a an and are as at be but by do for from had has have he her his i if in is it its " +
     "me my not of on or our she so that the their them then there they this to was we were " +
     "what when which who will with would you your").split(" ")
  : []);

function lighter(query) {
  if (query.includes('"')) return query;
  const kept = query.split(/\s+/).filter((w) => !COMMON.has(w.toLowerCase()));
  return kept.length ? kept.join(" ") : query;
}

let loading = null;
function pagefind() {
  loading ??= import(new URL("pagefind/pagefind.js", root).href).then(async (pf) => {
    // On the main thread: the worker would be one more download before the first search.
    await pf.options({ noWorker: true });
    return pf;
  });
  return loading;
}

function say(text) { statusLine.textContent = text; }

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function pad(n) { return String(n).padStart(2, "0"); }
function clock(s) {
  s = Math.floor(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}
function isoDuration(s) {
  s = Math.floor(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return "PT" + (h ? `${h}H` : "") + (m ? `${m}M` : "") + `${sec}S`;
}

// The record's paragraphs: [{id, time, from, to}] over the word positions of its content.
function paragraphs(data, count) {
  const out = [];
  let time = null;
  for (const a of data.anchors || []) {
    if (a.id.startsWith(TIME)) { time = Number(a.id.slice(TIME.length)); continue; }
    out.push({ id: a.id, time, from: a.location });
    time = null;
  }
  out.forEach((p, i) => { p.to = i + 1 < out.length ? out[i + 1].from : count; });
  return out;
}

// A paragraph's words from..to: matches marked, and a misheard form shown as
// "(heard …)" only when the search matched it (the page shows the corrected word).
function excerpt(words, from, to, hits) {
  const out = el("span", "hit-text");
  // Matched words next to each other share one <mark>, as a phrase reads; the
  // punctuation around a word stays outside it.
  const put = (into, i, gap) => {
    if (!hits.has(i)) { into.append(gap + words[i]); return; }
    const [, before, core, after] = EDGES.exec(words[i]);
    const last = into.lastChild;
    if (!before && last && last.nodeName === "MARK" && hits.has(i - 1)) last.append(gap + core);
    else into.append(gap + before, el("mark", "", core));
    if (after) into.append(after);
  };
  let heard = null;
  for (let i = from; i < to; i++) {
    const w = words[i];
    if (w === HEARD_OPEN) { heard = { hit: false, span: el("span", "heard", " (heard “"), n: 0 }; continue; }
    if (w === HEARD_CLOSE) {
      if (heard && heard.hit) { heard.span.append("”)"); out.append(heard.span); }
      heard = null;
      continue;
    }
    if (heard) {
      heard.hit ||= hits.has(i);
      put(heard.span, i, heard.n++ ? " " : "");
      continue;
    }
    put(out, i, out.childNodes.length ? " " : "");
  }
  return out;
}

// The window of a paragraph to show around its first match, never cutting a
// misheard form in two.
function window_(words, p, first) {
  let from = Math.max(p.from, first - 8);
  let to = Math.min(p.to, from + WORDS);
  from = Math.max(p.from, to - WORDS);
  const inside = (i) => {
    for (let k = i - 1; k >= p.from; k--) {
      if (words[k] === HEARD_CLOSE) return -1;
      if (words[k] === HEARD_OPEN) return k;
    }
    return -1;
  };
  const open = inside(from);
  if (open >= 0) from = open;
  if (inside(to) >= 0) while (to < p.to && words[to - 1] !== HEARD_CLOSE) to++;
  return [from, to];
}

function renderRecord(data) {
  const words = data.content.split(/\s+/);
  const paras = paragraphs(data, words.length);
  const hits = new Set(data.locations || []);
  const byPara = new Map();
  for (const loc of [...hits].sort((a, b) => a - b)) {
    const p = paras.findLast((q) => q.from <= loc);
    if (p) byPara.set(p, (byPara.get(p) || []).concat(loc));
  }
  let shown = [...byPara.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].from - b[0].from)
    .slice(0, PASSAGES)
    .sort((a, b) => a[0].from - b[0].from);
  if (!shown.length && paras.length) shown = [[paras[0], [paras[0].from]]];

  const f = data.filters || {};
  const name = (f.name || [""])[0], episode = (f.episode || [""])[0];
  const colour = (f.color || [""])[0];
  const li = el("li", "hit" + (/^\d+$/.test(colour) ? ` c${colour}` : ""));
  const head = el("p", "hit-head");
  head.append(el("cite", "hit-who", name), " · ", el("span", "hit-ep", episode));
  li.append(head);
  const page = data.url.slice(1, data.url.lastIndexOf("/") + 1); // records live at <page>/<n>.html
  for (const [p, locs] of shown) {
    const [from, to] = window_(words, p, locs[0]);
    const a = el("a", "hit-passage");
    a.href = new URL(page + "#" + encodeURIComponent(p.id), root).href;
    if (p.time != null && !Number.isNaN(p.time)) {
      const t = el("time", "hit-time", clock(p.time));
      t.dateTime = isoDuration(p.time);
      a.append(t, " ");
    }
    const q = excerpt(words, from, to, hits);
    if (from > p.from) q.prepend("… ");
    if (to < p.to) q.append(" …");
    a.append(q);
    li.append(a);
  }
  return li;
}

let run = 0; // the newest search; older ones stop drawing
let pending = [];

async function showMore(current) {
  const batch = pending.splice(0, BATCH);
  const datas = await Promise.all(batch.map((r) => r.data()));
  if (current !== run) return;
  for (const data of datas) list.append(renderRecord(data));
  more.hidden = pending.length === 0;
}

function chosenFilters() {
  const filters = {};
  for (const s of selects) if (s.value) filters[s.dataset.filter] = s.value;
  return filters;
}

function remember(query, filters) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [k, v] of Object.entries(filters)) params.set(k, v);
  const search = params.toString();
  history.replaceState(null, "", search ? "?" + search : location.pathname);
}

async function search() {
  const current = ++run;
  const query = input.value.trim();
  const filters = chosenFilters();
  remember(query, filters);
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren(); more.hidden = true; say("");
    return;
  }
  say("Searching…");
  let found;
  try {
    found = await (await pagefind()).search(query ? lighter(query) : null, { filters });
    if (current !== run) return;
    pending = found.results.slice();
    list.replaceChildren();
    await showMore(current);
  } catch {
    loading = null; // try again next time: while previewing, the index may still be on its way
    if (current === run) say("Search is unavailable: this site's search index was not found.");
    return;
  }
  if (current !== run) return;
  // Said once the first results are there, for screen readers (the status is aria-live).
  const n = found.results.length;
  const where = Object.keys(filters).length ? " with these filters" : "";
  say(n ? `${n} result${n === 1 ? "" : "s"}${where}` : `No results${where}`);
}

let filled = false;
async function fillFilters() {
  if (filled) return;
  filled = true;
  const all = await (await pagefind()).filters();
  for (const s of selects) {
    const values = Object.keys(all[s.dataset.filter] || {}).sort((a, b) => a.localeCompare(b));
    const chosen = s.value;
    s.replaceChildren(s.options[0]);
    for (const v of values) s.append(new Option(v, v, false, v === chosen));
    s.closest("label").hidden = values.length === 0;
  }
}

// While typing, search after a pause, once the last word has three letters: Pagefind
// matches the last word as a prefix and loads every index chunk the prefix spans, so
// "t" alone could fetch megabytes on a large site. Enter searches for anything.
let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  const query = lighter(input.value.trim());
  const last = query.split(/\s+/).pop() || "";
  if (!query || (last.replace(/[^\p{L}\p{N}]/gu, "").length >= 3 && !COMMON.has(last.toLowerCase()))) {
    timer = setTimeout(search, 400);
  }
});
input.addEventListener("focus", () => { pagefind().catch(() => {}); }, { once: true });
form.addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); search(); });
for (const s of selects) s.addEventListener("change", search);
panel.addEventListener("toggle", () => { if (panel.open) fillFilters().catch(() => {}); });
more.addEventListener("click", () => showMore(run));

// Arriving with ?q=… (the search box in every page's header sends it) searches at once.
const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const s of selects) {
  const v = params.get(s.dataset.filter);
  if (v) { s.append(new Option(v, v, true, true)); panel.open = true; }
}
if (input.value || selects.some((s) => s.value)) search();
