/* Landing on a paragraph (#its-id, from a search result or a shared link): its
   speaker's name and its first lines in view, below the sticky player. Where
   the name is too far above (a long turn), it is said again just above the
   paragraph, as a turn continued after a chapter heading is. The words of the
   search result that opened it are marked (search.js keeps them for a while in
   localStorage, "gloss-found"). Loaded on every transcript page: with a
   recording, it reads the sticky player's height from the page. */
(function () {
  "use strict";
  var player = document.querySelector(".player-audio"); // sticky: it covers the top of the window
  var moved = false; // the reader scrolled: leave the page where it is
  ["wheel", "touchmove", "keydown", "mousedown"].forEach(function (e) {
    window.addEventListener(e, function () { moved = true; }, { passive: true, once: true });
  });

  function land() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (err) { return; }
    var el = id && document.getElementById(id);
    var p = el && el.closest(".speech p[id]");
    var turn = p && p.closest(".turn");
    var name = turn && turn.querySelector(".who cite");
    if (!name || p.closest("details")) return;
    found(p);
    var top = (player ? player.offsetHeight : 0) + 12;
    var room = window.innerHeight - top;
    var again = document.querySelector(".said-again");
    if (again) again.remove();
    var r = p.getBoundingClientRect();
    var from = Math.min(name.getBoundingClientRect().top, r.top);
    if (r.top - from > room * 0.35 && r.bottom - from > room) {
      again = document.createElement("div");
      again.className = "said-again";
      again.setAttribute("aria-hidden", "true");
      again.appendChild(document.createElement("cite")).textContent = name.textContent;
      again.appendChild(document.createTextNode(" cont."));
      var own = p.previousElementSibling; // the paragraph's own time goes under the name
      p.parentNode.insertBefore(again, own && own.matches("a.pt") ? own : p);
      from = again.getBoundingClientRect().top;
    }
    // As a scroll margin, so that the browser's own scroll to the fragment,
    // should it come again while the page loads, lands in the same place.
    el.style.scrollMarginTop = (el.getBoundingClientRect().top - from + top) + "px";
    el.scrollIntoView({ block: "start", behavior: "auto" });
  }

  function found(p) {
    if (p.querySelector("mark.found")) return;
    var words = [];
    try {
      (JSON.parse(localStorage.getItem("gloss-found")) || []).forEach(function (f) {
        if (f.url === location.href && Date.now() - f.at < 3600e3) words = f.words;
      });
    } catch (err) { return; }
    words = words.filter(Boolean).map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    if (!words.length) return;
    words.sort(function (a, b) { return b.length - a.length; });
    var find;
    try { // whole words, in any letters
      find = new RegExp("(?<![\\p{L}\\p{N}])(?:" + words.join("|") + ")(?![\\p{L}\\p{N}])", "giu");
    } catch (err) { return; }
    var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement.closest(".rm, .v, a")) nodes.push(n); // shown words only
    }
    nodes.forEach(function (node) {
      var text = node.data, at = 0, m, out = document.createDocumentFragment();
      find.lastIndex = 0;
      while ((m = find.exec(text))) {
        out.appendChild(document.createTextNode(text.slice(at, m.index)));
        var hit = document.createElement("mark");
        hit.className = "found";
        hit.textContent = m[0];
        out.appendChild(hit);
        at = m.index + m[0].length;
      }
      if (!at) return;
      out.appendChild(document.createTextNode(text.slice(at)));
      node.parentNode.replaceChild(out, node);
    });
  }

  if (location.hash) {
    land();
    window.addEventListener("load", function () { if (!moved) land(); });
  }
  window.addEventListener("hashchange", land);
})();
