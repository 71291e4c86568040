// Search across every transcript, in the browser, from the static index that
// gloss/search.py writes into search/data/.
//
// Each result is one record: a few minutes of ONE speaker in one episode (see
// gloss/search.py). It is shown under that speaker's name, with up to three of its
// paragraphs that matched, each a link to the paragraph itself. Result text is
// built from text nodes and <mark> elements only: nothing from the index is ever
// parsed as HTML.

import { ALIASES, COMMON, HYPHEN, TYPO_LETTERS, fold, oneTypo, parts, queryTerms, stem, words } from "./search-words.js";

const root = new URL("../", import.meta.url); // this file is static/search.js
const DATA = new URL("search/data/", root);
const INDEX_VERSION = 2; // gloss/search.py INDEX_VERSION
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
const EDGES = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su; // punctuation, word, punctuation


async function json(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// The index, loaded piece by piece and kept for the page's life.
let loading = null;
function index() {
  loading ??= json(new URL("meta.json", DATA)).then((meta) => {
    if (meta.version !== INDEX_VERSION) throw new Error("an index this page cannot read");
    const starts = [];
    let n = 0;
    for (const [, count] of meta.pages) { starts.push(n); n += count; }
    const files = new Map();
    let filters = null;
    return {
      meta,
      // Record number -> the address of its fragment, and of its page.
      where(id) {
        let lo = 0, hi = starts.length - 1;
        while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= id) lo = mid; else hi = mid - 1; }
        return { page: meta.pages[lo][0], n: id - starts[lo] };
      },
      // The word files a prefix falls in (each holds the words from its first up to the next's).
      file(i) {
        const name = meta.words[i][1];
        if (!files.has(name)) files.set(name, json(new URL(`w/${name}.json`, DATA)));
        return files.get(name);
      },
      filters() {
        filters ??= json(new URL(`f/${meta.filters}.json`, DATA)).then((all) => {
          for (const values of Object.values(all)) {
            for (const [v, deltas] of Object.entries(values)) values[v] = undelta(deltas);
          }
          return all;
        });
        return filters;
      },
    };
  });
  return loading;
}

function undelta(deltas) {
  let at = 0;
  return deltas.map((d) => (at += d));
}

// Every word of the index that starts with `prefix`, with its records: Map word -> Map id -> weight.
async function lookup(ix, prefix) {
  const ws = ix.meta.words, found = new Map();
  const end = prefix + "\uffff";
  const wanted = [];
  for (let i = 0; i < ws.length; i++) {
    const next = i + 1 < ws.length ? ws[i + 1][0] : null;
    if (ws[i][0] <= end && (next === null || next > prefix)) wanted.push(i);
  }
  for (const file of await Promise.all(wanted.map((i) => ix.file(i)))) {
    for (const [w, list] of Object.entries(file)) {
      if (!w.startsWith(prefix)) continue;
      const postings = new Map();
      let id = 0;
      for (let k = 0; k < list.length; k += 2) { id += list[k]; postings.set(id, list[k + 1]); }
      found.set(w, postings);
    }
  }
  return found;
}

// How near an index word is to what was typed: the word itself (or a number
// written out), a longer whole it begins ("gpt-5.1" in "gpt-5.1-codex-max"),
// another ending, the start of a longer word, one typo.
const NEAR = { same: 1, whole: 0.9, ending: 0.8, start: 0.6, typo: 0.5 };

// The index words a term finds: Map word -> [nearness, postings]. The start of a
// longer word counts only for the word being typed (`open`), or when the term
// is no word of the index; one typo only when it is neither.
async function forms(ix, term, exact, open) {
  const found = new Map();
  const add = (w, near, postings) => { if (!(found.get(w)?.[0] >= near)) found.set(w, [near, postings]); };
  for (const alt of [term, ...(exact ? [] : ALIASES.get(term) || [])]) {
    const s = exact ? alt : stem(alt);
    let key = alt;
    if (!exact && alt.length > 3) {
      key = s.replace(/[ey]$/, "");
      while (!alt.startsWith(key)) key = key.slice(0, -1);
    }
    for (const [w, postings] of await lookup(ix, key)) {
      if (w === alt) add(w, NEAR.same, postings);
      else if (!exact && w.startsWith(alt + "-")) add(w, NEAR.whole, postings);
      else if (!exact && stem(w) === s) add(w, NEAR.ending, postings);
      else if (open && w.startsWith(alt)) add(w, NEAR.start, postings);
    }
  }
  if (found.size) return found;
  for (const [w, postings] of await lookup(ix, term)) add(w, NEAR.start, postings);
  if (found.size || exact || [...term].length < TYPO_LETTERS) return found;
  // The first two letters are taken as typed: the typo is looked for in the word
  // files of words beginning with them, not in the whole index.
  const s = stem(term);
  for (const [w, postings] of await lookup(ix, term.slice(0, 2))) {
    if (oneTypo(w, term) || oneTypo(stem(w), s)) add(w, NEAR.typo, postings);
  }
  return found;
}

// Records for the query's terms, best first, by BM25: a word's weight grows with
// how often the record says it (for its length; a speaker's name, a chapter or
// topic title add to it: gloss/search.py `weigh`) and how rare it is in the
// archive; an exact word counts more than another form of it. A record must hold
// every term, and say at least one (a name or a title alone makes no result);
// when none does, the records holding the most terms are shown, each with the
// terms it lacks (`partial`).
async function find(ix, queryTerms_, exact, typing) {
  const total = ix.meta.records;
  const matched = new Set();
  const per = []; // [term, Map id -> [score, said]]
  const queue = queryTerms_.map((term, t) => [term, typing && t === queryTerms_.length - 1]);
  while (queue.length) {
    const [term, open] = queue.shift();
    const found = await forms(ix, term, exact, open);
    if (!found.size && HYPHEN.test(term)) {
      // Not found joined: its words, each on its own ("five-year-old": "five", "year", "old").
      const ps = term.split(HYPHEN).filter((p) => !COMMON.has(p));
      queue.unshift(...ps.map((p, k) => [p, open && k === ps.length - 1]));
      continue;
    }
    // How rare the term is in what is said, in any of its forms: a word of a
    // title is in every record of its episode, and still tells passages apart.
    const said = new Set();
    for (const [w, [, postings]] of found) {
      matched.add(w);
      for (const [id, weight] of postings) if (weight > 0) said.add(id);
    }
    const idf = Math.log(1 + (total - said.size + 0.5) / (said.size + 0.5));
    const best = new Map(); // id -> [score, said]: the best of the term's forms there
    for (const [near, postings] of found.values()) {
      for (const [id, weight] of postings) {
        const s = idf * near * Math.abs(weight); // a negative weight: in a name or title only
        const had = best.get(id);
        best.set(id, had ? [Math.max(had[0], s), had[1] || weight > 0] : [s, weight > 0]);
      }
    }
    per.push([term, best, idf]);
  }
  const all = new Map(); // id -> {score, said, terms, rarity}
  for (const [, best, idf] of per) {
    for (const [id, [s, said]] of best) {
      const r = all.get(id) || { score: 0, said: false, terms: 0, rarity: 0 };
      r.score += s; r.said ||= said; r.terms += 1; r.rarity += idf;
      all.set(id, r);
    }
  }
  const kept = [...all].filter(([, r]) => r.said);
  const full = kept.filter(([, r]) => r.terms === per.length);
  const partial = !full.length && !exact && per.length > 1;
  const chosen = full.length ? full : partial ? kept : [];
  // Partial matches: the records holding the rarest of the terms first (the
  // words that tell passages apart), then by score.
  if (partial) chosen.sort((a, b) => b[1].rarity - a[1].rarity || b[1].score - a[1].score || a[0] - b[0]);
  else chosen.sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
  const missing = new Map();
  if (partial) {
    for (const [id] of chosen) missing.set(id, per.filter(([, best]) => !best.has(id)).map(([term]) => term));
  }
  return { ids: chosen.map(([id]) => id), matched, missing, partial };
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

// The record's paragraphs, [{id, time, from, to}] over `words`, the whitespace-split
// words of all its passages.
function paragraphs(data) {
  const out = [], all = [];
  for (const [id, time, text] of data.passages) {
    const ws = text.split(/\s+/).filter(Boolean);
    out.push({ id, time, from: all.length, to: all.length + ws.length });
    all.push(...ws);
  }
  return [out, all];
}

// Where the query matched in `all`: every word holding a matched word of the index
// or, for a phrase in quotes, the words of each place the phrase is said (none:
// the record does not say it, and is not a result).
function hitsIn(all, context) {
  const hits = new Set();
  if (!context.phrases.length) {
    all.forEach((w, i) => { if (words(w).some((t) => context.matched.has(t))) hits.add(i); });
    return hits;
  }
  const tokens = [], at = []; // the index's words in order, and the word each is in
  all.forEach((w, i) => { for (const t of parts(w)) { tokens.push(t); at.push(i); } });
  for (const phrase of context.phrases) {
    let found = false;
    for (let s = 0; s + phrase.length <= tokens.length; s++) {
      if (!phrase.every((t, k) => (k === phrase.length - 1 ? tokens[s + k].startsWith(t) : tokens[s + k] === t))) continue;
      found = true;
      for (let k = 0; k < phrase.length; k++) hits.add(at[s + k]);
    }
    if (!found) return null;
  }
  return hits;
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

// The speaker's name, with the words of it the query matched marked.
function named(name, matched) {
  const cite = el("cite", "hit-who");
  name.split(/(\s+)/).forEach((part) => {
    if (words(part).some((t) => matched.has(t))) cite.append(el("mark", "", part));
    else cite.append(part);
  });
  return cite;
}

function renderRecord(data, context, missing) {
  const [paras, words_] = paragraphs(data);
  const hits = hitsIn(words_, context);
  if (hits === null) return null;
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

  const li = el("li", "hit" + (!data.note && Number.isInteger(data.color) ? ` c${data.color}` : ""));
  const head = el("p", "hit-head");
  // A note is not speech: it is shown as a note, on the paragraph it annotates,
  // never under a speaker's name.
  if (data.note) head.append(el("span", "hit-who hit-note", "Note"));
  else head.append(named(data.speaker, context.matched));
  head.append(" · ", el("span", "hit-ep", data.episode));
  if (missing && missing.length) {
    head.append(" · ", el("span", "hit-missing", `without ${missing.map((t) => `“${t}”`).join(", ")}`));
  }
  li.append(head);
  for (const [p, locs] of shown) {
    const [from, to] = window_(words_, p, locs[0]);
    const a = el("a", "hit-passage");
    a.href = new URL(data.page + "#" + encodeURIComponent(p.id), root).href;
    // The words found there, as the page shows them (not a misheard form): the
    // page's land.js marks them when the link is followed (keepFound, below).
    const found = new Set();
    for (let i = p.from, heard = false; i < p.to; i++) {
      if (words_[i] === HEARD_OPEN || words_[i] === HEARD_CLOSE) heard = words_[i] === HEARD_OPEN;
      else if (!heard && hits.has(i)) found.add(EDGES.exec(words_[i])[2]);
    }
    found.delete("");
    if (found.size) a.dataset.found = [...found].join(" ");
    if (typeof p.time === "number") {
      const t = el("time", "hit-time", clock(p.time));
      t.dateTime = isoDuration(p.time);
      a.append(t, " ");
    }
    const q = excerpt(words_, from, to, hits);
    if (from > p.from) q.prepend("… ");
    if (to < p.to) q.append(" …");
    a.append(q);
    li.append(a);
  }
  return li;
}

let run = 0; // the newest search; older ones stop drawing
let pending = []; // record numbers not shown yet, best first
let context = null; // what the newest search matched: {ix, matched, phrases, total}
let dropped = 0; // records a phrase was not in, after all

// A record's fragment; null when it is gone (while previewing, a page's fragments
// are written with the page, and the index that names them can lag behind).
const FRAGMENT_RECORDS = 4; // gloss/search.py FRAGMENT_RECORDS
const fragmentFiles = new Map();
function fragment(ix, id) {
  const { page, n } = ix.where(id);
  const url = new URL(`r/${page}${Math.floor(n / FRAGMENT_RECORDS)}.json`, DATA).href;
  if (!fragmentFiles.has(url)) fragmentFiles.set(url, json(url).catch(() => null));
  return fragmentFiles.get(url).then((records) => (records && records[n % FRAGMENT_RECORDS]) || null);
}

// The next results: a batch of records at a time; for a phrase, records that
// hold its words but not in a row are left out, and more are fetched, up to
// CHECKED records a time (each costs a download: "Show more" goes on).
const CHECKED = 48;
async function showMore(current) {
  let added = 0, checked = 0;
  while (added < BATCH && pending.length && checked < CHECKED) {
    const batch = pending.splice(0, BATCH - added);
    checked += batch.length;
    const datas = await Promise.all(batch.map((id) => fragment(context.ix, id)));
    if (current !== run) return;
    for (const [k, data] of datas.entries()) {
      const li = data && renderRecord(data, context, context.missing.get(batch[k]));
      if (li) { list.append(li); added++; } else dropped++;
    }
  }
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

// Record numbers for a query and filters, best first (with no words: in site order).
async function results(ix, query, filters, typing) {
  const quoted = query.includes('"');
  const phrases = [...query.matchAll(/"([^"]*)"/g)].map((m) => parts(m[1])).filter((p) => p.length > 1);
  const terms = quoted ? [...new Set(parts(query))] : queryTerms(query);
  let ids = null, matched = new Set(), missing = new Map(), partial = false;
  if (terms.length) {
    ({ ids, matched, missing, partial } = await find(ix, terms, quoted, typing));
  }
  if (Object.keys(filters).length) {
    const all = await ix.filters();
    let allowed = null;
    for (const [kind, value] of Object.entries(filters)) {
      const these = new Set((all[kind] || {})[value] || []);
      allowed = allowed === null ? these : new Set([...allowed].filter((id) => these.has(id)));
    }
    ids = ids === null ? [...allowed].sort((a, b) => a - b) : ids.filter((id) => allowed.has(id));
  }
  return { ids: ids || [], matched, phrases, missing, partial };
}

// `typing`: searched while the reader types, so the last word may be the start
// of a longer one; sent (Enter, a shared address, a filter), every word is whole.
async function search(typing = false) {
  const current = ++run;
  const query = input.value.trim();
  const filters = chosenFilters();
  remember(query, filters);
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren(); more.hidden = true; say(""); showTitles([]);
    return;
  }
  say("Searching…");
  let found;
  try {
    const ix = await index();
    found = await results(ix, query, filters, typing);
    const named = query && !Object.keys(filters).length ? await titles(ix, query, typing) : [];
    if (current !== run) return;
    showTitles(named);
    context = { ix, matched: found.matched, phrases: found.phrases, total: found.ids.length,
                missing: found.missing, partial: found.partial };
    pending = found.ids.slice();
    dropped = 0;
    list.replaceChildren();
    await showMore(current);
  } catch {
    loading = null; // try again next time: while previewing, the index may still be on its way
    if (current === run) say("Search is unavailable: this site's search index was not found.");
    return;
  }
  if (current !== run) return;
  announce();
}

// Episode titles. A title is in every record of its episode, so it is not in
// the word files; a query whose words are all in a title (the last one, while
// typing, as a word's start) finds that transcript itself, shown above the
// passages. The titles are the episode filter's values, each with its records.
const titleHits = el("p", "title-hits");
titleHits.hidden = true;
titleHits.setAttribute("aria-live", "polite");
list.before(titleHits);

async function titles(ix, query, typing) {
  const terms = queryTerms(query).filter((t) => !COMMON.has(t)).map((t) => t.split(HYPHEN)).flat();
  if (!terms.length || query.includes('"')) return [];
  const all = (await ix.filters()).episode || {};
  const out = [];
  for (const [title, ids] of Object.entries(all)) {
    const have = parts(title);
    const last = terms.length - 1;
    if (terms.every((t, k) => have.includes(t) || (typing && k === last && have.some((w) => w.startsWith(t))))
        && ids.length) {
      out.push({ title, url: new URL(ix.where(ids[0]).page, root).href });
    }
  }
  // A word of many titles ("episode", "interview") is better answered by the passages.
  return out.length <= TITLES ? out.sort((a, b) => a.title.localeCompare(b.title)) : [];
}
const TITLES = 5; // titles shown at most

function showTitles(found) {
  titleHits.replaceChildren();
  titleHits.hidden = !found.length;
  if (!found.length) return;
  titleHits.append(found.length === 1 ? "The transcript with these words in its title: "
    : "Transcripts with these words in their titles: ");
  found.forEach((t, k) => {
    if (k) titleHits.append(" · ");
    const a = el("a", "", t.title);
    a.href = t.url;
    titleHits.append(a);
  });
}

// Said once the first results are there, for screen readers (the status is aria-live).
function announce() {
  const where = Object.keys(chosenFilters()).length ? " with these filters" : "";
  if (context.phrases.length && pending.length) {
    const n = list.children.length;
    say(`${n} result${n === 1 ? "" : "s"} so far${where}; more may follow`);
    return;
  }
  const n = context.total - dropped;
  if (n && context.partial) {
    say(`No result has every word${where}: ${n} result${n === 1 ? "" : "s"} with some of them`);
    return;
  }
  say(n ? `${n} result${n === 1 ? "" : "s"}${where}` : `No results${where}`);
}

let filled = false;
async function fillFilters() {
  if (filled) return;
  filled = true;
  const all = await (await index()).filters();
  for (const s of selects) {
    const values = Object.keys(all[s.dataset.filter] || {}).sort((a, b) => a.localeCompare(b));
    const chosen = s.value;
    s.replaceChildren(s.options[0]);
    for (const v of values) s.append(new Option(v, v, false, v === chosen));
    s.closest("label").hidden = values.length === 0;
  }
}

// While typing, search after a pause, once the last word has three letters: the
// last word is matched as the start of a word, and "t" alone would load every
// file of words starting with t. Enter searches for anything.
let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  const query = input.value.trim();
  const last = query.split(/\s+/).pop() || "";
  if (!query || (last.replace(/[^\p{L}\p{N}]/gu, "").length >= 3 && !COMMON.has(last.toLowerCase()))) {
    timer = setTimeout(() => search(true), 400);
  }
});
input.addEventListener("focus", () => { index().catch(() => { loading = null; }); }, { once: true });
form.addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); search(); });
for (const s of selects) s.addEventListener("change", search);
panel.addEventListener("toggle", () => { if (panel.open) fillFilters().catch(() => { filled = false; }); });
more.addEventListener("click", async () => {
  const current = run;
  await showMore(current);
  if (current === run && context.phrases.length) announce();
});

// A result followed: the words it found in that paragraph are kept a while, for
// the page to mark them (its address stays the paragraph's own).
function keepFound(e) {
  const a = e.target.closest("a.hit-passage[data-found]");
  if (!a) return;
  try {
    const kept = JSON.parse(localStorage.getItem("gloss-found") || "[]")
      .filter((f) => f.url !== a.href && Date.now() - f.at < 3600e3);
    kept.push({ url: a.href, words: a.dataset.found.split(" "), at: Date.now() });
    localStorage.setItem("gloss-found", JSON.stringify(kept.slice(-8)));
  } catch { /* no storage: the paragraph opens unmarked */ }
}
list.addEventListener("click", keepFound);
list.addEventListener("auxclick", keepFound);

// Arriving with ?q=… (the search box in every page's header sends it) searches at once.
const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const s of selects) {
  const v = params.get(s.dataset.filter);
  if (v) { s.append(new Option(v, v, true, true)); panel.open = true; }
}
if (input.value || selects.some((s) => s.value)) search();
