/* gloss: link to a quote. Select words in a transcript and a button offers a
   link that opens the page at those words, marked: a text fragment
   (#paragraph:~:text=...) where the browser supports them, and this script's own
   marking where it does not. Progressive: without JavaScript, every paragraph
   still has its permalink (the pilcrow). */
(() => {
  "use strict";
  // On paper: where the page came from and when it was printed, once, at the top.
  const from = document.querySelector("[data-print-from]");
  if (from) {
    const day = new Date().toLocaleDateString(document.documentElement.lang || undefined,
                                              { year: "numeric", month: "long", day: "numeric" });
    from.textContent = `${from.textContent.trim() || location.href.split("#")[0]} · printed ${day}`;
  }
  const turns = document.querySelector(".turns");
  if (!turns) return;

  // The text directive's own characters are escaped in its values.
  const enc = (s) => encodeURIComponent(s).replace(/-/g, "%2D").replace(/,/g, "%2C");
  const clean = (s) => s.replace(/¶/g, " ").replace(/\s+/g, " ").trim();

  function paragraphOf(node) {
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el ? el.closest(".speech p[id]") : null;
  }

  function selected() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const range = sel.getRangeAt(0);
    const first = paragraphOf(range.startContainer);
    if (!first || !turns.contains(first) || !paragraphOf(range.endContainer)) return null;
    const text = clean(sel.toString());
    return text ? { id: first.id, text, range } : null;
  }

  function link(quote) {
    const words = quote.text.split(" ");
    const value = words.length <= 10 ? enc(quote.text)
      : enc(words.slice(0, 5).join(" ")) + "," + enc(words.slice(-5).join(" "));
    return location.href.split("#")[0] + "#" + quote.id + ":~:text=" + value;
  }

  const box = document.createElement("div");
  box.className = "share-quote";
  box.hidden = true;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Link to this quote";
  const field = document.createElement("input");
  field.type = "text";
  field.readOnly = true;
  field.hidden = true;
  field.setAttribute("aria-label", "Link to this quote");
  const status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  box.append(button, field, status);
  document.body.append(box);
  let quote = null;

  document.addEventListener("selectionchange", () => {
    const now = selected();
    if (!now) {
      if (!box.contains(document.activeElement)) box.hidden = true;
      return;
    }
    quote = now;
    const rect = now.range.getBoundingClientRect();
    button.textContent = "Link to this quote";
    field.hidden = true;
    box.hidden = false;
    // Above the selection, so it hides none of the lines read next; below it
    // only when the selection starts at the top of the window.
    const above = rect.top - box.offsetHeight - 6;
    box.style.top = `${window.scrollY + (above >= 4 ? above : rect.bottom + 6)}px`;
    box.style.left = `${Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - 220))}px`;
  });

  button.addEventListener("click", async () => {
    if (!quote) return;
    const url = link(quote);
    field.value = url;
    box.dataset.url = url;
    try {
      await navigator.clipboard.writeText(url);
      button.textContent = "Link copied";
      status.textContent = "Link to the quote copied";
    } catch (e) {
      // No clipboard here (an insecure origin, a refusal): show the link to copy.
      field.hidden = false;
      field.focus();
      field.select();
      status.textContent = "Copy the link from the field";
    }
  });

  // Opening a link to a quote in a browser without text fragments: mark it here.
  // The words are found in what the paragraph shows (hidden verbatim words and
  // runs of spaces do not count), as the selection that made the link saw them.
  function shown(para) {
    const chars = [];
    const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement || node.parentElement.getClientRects().length === 0) continue;
      for (let i = 0; i < node.data.length; i++) {
        const space = /\s/.test(node.data[i]);
        if (space && (!chars.length || chars[chars.length - 1].c === " ")) continue;
        chars.push({ c: space ? " " : node.data[i], node, i });
      }
    }
    return chars;
  }

  function markQuote(hash) {
    const at = hash.indexOf(":~:text=");
    if (at < 0) return false;
    const para = document.getElementById(decodeURIComponent(hash.slice(1, at)));
    if (!para) return false;
    const parts = hash.slice(at + 8).split("&")[0].split(",").map(decodeURIComponent);
    const chars = shown(para);
    const text = chars.map((x) => x.c).join("");
    const begin = text.indexOf(parts[0]);
    if (begin < 0) return false;
    const last = parts.length > 1 ? parts[parts.length - 1] : parts[0];
    const found = text.indexOf(last, parts.length > 1 ? begin : begin);
    if (found < 0) return false;
    const stop = found + last.length - 1;
    const range = document.createRange();
    range.setStart(chars[begin].node, chars[begin].i);
    range.setEnd(chars[stop].node, chars[stop].i + 1);
    const mark = document.createElement("mark");
    mark.className = "quoted";
    mark.append(range.extractContents());
    range.insertNode(mark);
    mark.scrollIntoView({ block: "center" });
    return true;
  }
  window.glossMarkQuote = markQuote;

  // The page's tools: a chapter picked closes the list; the verbatim label works
  // from the keyboard too and says whether it is on.
  const chapters = document.querySelector(".tool-chapters");
  if (chapters) {
    chapters.addEventListener("click", (event) => { if (event.target.closest("a")) chapters.open = false; });
    document.addEventListener("click", (event) => { if (!chapters.contains(event.target)) chapters.open = false; });
  }
  const switcher = document.getElementById("show-verbatim");
  const label = document.querySelector(".tool-verbatim");
  if (switcher && label) {  // the label works by pointer; a button works by keyboard too
    const tool = document.createElement("button");
    tool.type = "button";
    tool.className = label.className;
    tool.textContent = label.textContent;
    label.replaceWith(tool);
    const show = () => tool.setAttribute("aria-pressed", String(switcher.checked));
    show();
    switcher.addEventListener("change", show);
    tool.addEventListener("click", () => switcher.click());
  }

  // A corrected word (dotted underline) tells what was heard when tapped or
  // clicked, not only on hover (a phone has none). From the keyboard, the
  // verbatim switch shows every heard form in place.
  const tip = document.createElement("span");
  tip.className = "heard-tip";
  tip.setAttribute("role", "status");
  tip.hidden = true;
  document.body.append(tip);
  let tipFor = null;
  const hideTip = () => { tip.hidden = true; tipFor = null; };
  turns.addEventListener("click", (event) => {
    const fix = event.target.closest(".chg.fix");
    if (!fix || !window.getSelection().isCollapsed || fix === tipFor) { hideTip(); return; }
    const heard = fix.querySelector(".v");
    if (!heard || getComputedStyle(heard).display !== "none") return;  // the verbatim view shows it already
    tip.textContent = `Heard: “${heard.textContent}”`;
    const rect = fix.getBoundingClientRect();
    tip.style.top = `${window.scrollY + rect.bottom + 4}px`;
    tip.style.left = `${Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - 240))}px`;
    tip.hidden = false;
    tipFor = fix;
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hideTip(); });
  document.addEventListener("click", (event) => { if (!turns.contains(event.target)) hideTip(); });
  if (!("fragmentDirective" in document) && location.hash.includes(":~:text=")) {
    markQuote(location.hash);
  }
})();
