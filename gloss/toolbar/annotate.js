/* gloss serve only: annotate a transcript by selecting its words (issue #27).
   Served by the preview and injected into transcript pages it serves; never
   copied into a built site, and without JavaScript the page is as it was.
   A selection's ends are sent as (paragraph id, offset in the paragraph's
   verbatim text): heard words count, corrected ones do not, so the server
   quotes the words as transcribed. The server writes the YAML and the usual
   rebuild reloads the page; a refusal is shown here as `gloss check` says it. */
(() => {
  "use strict";
  const dataEl = document.getElementById("gloss-annotate");
  if (!dataEl) return;
  const data = JSON.parse(dataEl.textContent);
  const PARAS = ".turns p[id]";

  const KINDS = [
    ["highlight", "Highlight"], ["note", "Note"], ["topic", "Topic"], ["chapter", "Chapter"],
    ["correction", "Correct"], ["cut", "Cut"], ["turn", "New turn here"],
    ["join", "Join to turn before"], ["speaker", "Who is this label"],
  ];

  const bar = document.createElement("div");
  bar.id = "gloss-toolbar";
  bar.setAttribute("role", "dialog");
  bar.setAttribute("aria-label", "Annotate the selection");
  bar.hidden = true;
  bar.innerHTML = '<p class="gt-what"></p><div class="gt-buttons" role="toolbar" aria-label="Write an annotation"></div>' +
    '<form class="gt-form" hidden></form><div class="gt-status" role="status" aria-live="polite"></div>';
  const buttons = bar.querySelector(".gt-buttons");
  const form = bar.querySelector(".gt-form");
  const status = bar.querySelector(".gt-status");
  const what = bar.querySelector(".gt-what");
  for (const [kind, label] of KINDS) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.kind = kind;
    b.textContent = label;
    b.tabIndex = -1;
    buttons.append(b);
  }
  document.body.append(bar);

  let chosen = null; // {start, end, text, paraEl} as the toolbar opened
  let returnFocus = null;

  const inC = (node) => node.parentElement && node.parentElement.closest(".chg > .c");

  /* The offset in the paragraph's verbatim text of a boundary point. */
  function verbatimAt(p, node, offset, isEnd) {
    const probe = document.createRange();
    probe.setStart(node, offset);
    const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let total = 0;
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      if (t.parentElement.closest("a.pl")) break;
      const counts = !inC(t);
      if (t === node) {
        if (counts) return total + offset;
        const chg = t.parentElement.closest(".chg");
        const heard = chg.querySelector(".v") ? chg.querySelector(".v").textContent.length : 0;
        return isEnd ? total : total - heard;
      }
      if (probe.comparePoint(t, 0) > 0) return total; // the point is before this text
      total += counts ? t.length : 0;
    }
    return total;
  }

  function fromSelection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const paras = [...document.querySelectorAll(PARAS)].filter((p) => !p.closest("aside") && range.intersectsNode(p));
    if (!paras.length) return null;
    const first = paras[0], last = paras[paras.length - 1];
    const start = first.contains(range.startContainer) ? verbatimAt(first, range.startContainer, range.startOffset, false) : 0;
    const end = last.contains(range.endContainer) ? verbatimAt(last, range.endContainer, range.endOffset, true) : 1e9;
    const text = sel.toString().replace(/\s+/g, " ").trim();
    if (!text) return null;
    return { start: { p: first.id, at: start }, end: { p: last.id, at: end }, text, paraEl: first, range };
  }

  function place(range) {
    if (window.matchMedia("(max-width: 40rem)").matches) {
      bar.classList.add("gt-docked");
      bar.style.top = bar.style.left = "";
      return;
    }
    bar.classList.remove("gt-docked");
    const r = range.getBoundingClientRect();
    const width = Math.min(bar.offsetWidth || 480, document.documentElement.clientWidth - 16);
    const left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    bar.style.left = `${left}px`;
    bar.style.top = `${r.bottom + window.scrollY + 8}px`;
  }

  function open(selection) {
    chosen = selection;
    form.hidden = true;
    form.innerHTML = "";
    status.textContent = "";
    status.className = "gt-status";
    const shown = selection.text.length > 80 ? selection.text.slice(0, 79) + "…" : selection.text;
    what.textContent = `“${shown}”`;
    bar.hidden = false;
    place(selection.range);
  }

  function close() {
    bar.hidden = true;
    chosen = null;
    if (returnFocus) returnFocus.focus();
    returnFocus = null;
  }

  let pending = 0;
  document.addEventListener("selectionchange", () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      if (bar.contains(document.activeElement) && !bar.hidden) return; // typing in the form
      const s = fromSelection();
      if (s) open(s);
      else if (!bar.hidden && form.hidden && !status.textContent) close();
    }, 150);
  });

  function focusButtons(k = 0) {
    const all = [...buttons.children];
    all.forEach((b, i) => { b.tabIndex = i === k ? 0 : -1; });
    all[k].focus();
  }

  // `a` (not while typing) takes the keyboard to the toolbar of the selection.
  document.addEventListener("keydown", (e) => {
    const typing = e.target.closest && e.target.closest("input, textarea, select, [contenteditable]");
    if (e.key === "Escape" && !bar.hidden) { e.preventDefault(); close(); return; }
    if (typing || e.ctrlKey || e.metaKey || e.altKey || e.key !== "a") return;
    const s = bar.hidden ? fromSelection() : chosen;
    if (!s) return;
    e.preventDefault();
    if (bar.hidden) open(s);
    returnFocus = document.activeElement;
    focusButtons(0);
  });

  buttons.addEventListener("keydown", (e) => {
    const all = [...buttons.children];
    const k = all.indexOf(document.activeElement);
    const to = { ArrowRight: k + 1, ArrowDown: k + 1, ArrowLeft: k - 1, ArrowUp: k - 1, Home: 0, End: all.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    focusButtons((to + all.length) % all.length);
  });
  buttons.addEventListener("mousedown", (e) => e.preventDefault()); // keep the selection

  const field = (label, html) => `<label>${label} ${html}</label>`;
  const options = (items) => items.map(([id, name]) => `<option value="${esc(id)}">${esc(name)} (${esc(id)})</option>`).join("");
  function esc(s) { const d = document.createElement("div"); d.textContent = s; return d.innerHTML; }

  const FORMS = {
    note: () => field("Note (Markdown)", '<textarea name="text" rows="3" required></textarea>'),
    chapter: () => field("Chapter title", '<input name="title" required>'),
    topic: () => field("Topic", `<select name="topic">${options(data.topics)}<option value="">New topic…</option></select>`) +
      '<span class="gt-new" hidden>' + field("New topic id", '<input name="newtopic" pattern="[a-z0-9][a-z0-9_-]*" placeholder="lowercase-id">') +
      field("Its title", '<input name="title">') + "</span>",
    correction: () => `<p class="gt-heard">Heard: <q>${esc(chosen.text)}</q></p>` + field("Meant", '<input name="meant" required>') +
      '<label class="gt-check"><input type="checkbox" name="glossary"> for every transcript (glossary.yaml)</label>',
    cut: () => field("Reason (shown to readers)", '<input name="reason">'),
    turn: () => field("Who speaks from here", `<select name="person">${options(data.people)}</select>`),
    speaker: () => field("This turn's label is", `<select name="person">${options(data.people)}</select>`),
  };

  buttons.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b || !chosen) return;
    const kind = b.dataset.kind;
    for (const other of buttons.children) other.setAttribute("aria-pressed", String(other === b && !!FORMS[kind]));
    if (!FORMS[kind]) { send(kind, {}); return; }
    form.dataset.kind = kind;
    form.innerHTML = FORMS[kind]() + '<div class="gt-actions"><button type="submit">Write</button> <button type="button" class="gt-cancel">Cancel</button></div>';
    form.hidden = false;
    const topic = form.querySelector('select[name="topic"]');
    if (topic) topic.addEventListener("change", () => { form.querySelector(".gt-new").hidden = topic.value !== ""; });
    if (topic && !data.topics.length) form.querySelector(".gt-new").hidden = false;
    form.querySelector("input, textarea, select").focus();
  });

  form.addEventListener("click", (e) => {
    if (e.target.closest(".gt-cancel")) {
      form.hidden = true;
      for (const b of buttons.children) b.setAttribute("aria-pressed", "false");
      focusButtons(0);
    }
  });
  form.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.tagName === "TEXTAREA" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const fields = {};
    for (const [k, v] of f.entries()) fields[k] = v;
    if (form.dataset.kind === "correction") fields.glossary = f.has("glossary");
    if (form.dataset.kind === "topic") {
      if (fields.topic) delete fields.title; // a topic topics.yaml has: no title to add
      else fields.topic = fields.newtopic || "";
      delete fields.newtopic;
    }
    send(form.dataset.kind, fields);
  });

  async function send(kind, fields) {
    const body = { kind, page: data.page, digests: data.digests, start: chosen.start, end: chosen.end, ...fields };
    status.className = "gt-status";
    status.textContent = "Writing…";
    let reply;
    try {
      const r = await fetch(data.endpoint, {
        method: "POST", headers: { "Content-Type": "application/json", "X-Gloss-Token": data.token },
        body: JSON.stringify(body), credentials: "same-origin",
      });
      reply = await r.json();
    } catch (err) {
      reply = { ok: false, error: `gloss serve did not answer (${err.message}): is it still running?` };
    }
    if (reply.ok) {
      form.hidden = true;
      status.className = "gt-status gt-ok";
      status.textContent = reply.written.map((w) => `Written to ${w.file}:\n${w.entry}`).join("\n") + "\nThe page reloads when it is rebuilt.";
      return;
    }
    status.className = "gt-status gt-error";
    status.setAttribute("role", "alert");
    status.textContent = reply.error;
    if (reply.reload) {
      const again = document.createElement("button");
      again.type = "button";
      again.textContent = "Reload the page";
      again.addEventListener("click", () => location.reload());
      status.append(document.createElement("br"), again);
    }
  }
})();
