/* gloss player: progressive enhancement of a transcript page with a recording.
   Without this script the page reads fully and the recording plays; with it,
   clicking a time seeks the player instead of leaving the page, the paragraph
   being spoken is marked (aria-current) and, while "Follow along" is on, kept
   in view. It reads only data attributes that the templates write:
   data-player ("audio", "video" or "youtube") and data-youtube on the player,
   data-start (seconds, from the source) on paragraphs and turn times.
   No times are invented: a page without them gets a player that only plays. */
(function () {
  "use strict";
  var box = document.querySelector("[data-player]");
  if (!box) return;
  var EPSILON = 0.05; // a seek lands a hair before the time asked for
  var motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var follow = box.querySelector(".follow input");
  var groups = []; // {start, els}: a timed paragraph and the untimed ones after it
  var current = null;
  var player = null;

  function clock(s) {
    s = Math.floor(s);
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (sec < 10 ? "0" : "") + sec;
  }

  document.querySelectorAll(".turns p[id]").forEach(function (p) {
    if (p.closest("details")) return; // cut passages are not read out
    var start = parseFloat(p.getAttribute("data-start"));
    var last = groups[groups.length - 1];
    // A long cue split into paragraphs gives them one start: they are one group.
    if (!isNaN(start) && !(last && last.start === start)) groups.push({ start: start, els: [p] });
    else if (last) last.els.push(p);
  });
  var ordered = groups.slice().sort(function (a, b) { return a.start - b.start; });

  function groupAt(t) {
    var lo = 0, hi = ordered.length - 1, found = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (ordered[mid].start <= t + EPSILON) { found = ordered[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  function inView(el) {
    var r = el.getBoundingClientRect();
    var top = box.classList.contains("player-audio") ? box.getBoundingClientRect().bottom : 0;
    return r.top >= Math.max(top, 0) && r.bottom <= window.innerHeight;
  }

  function mark(t) {
    var g = groupAt(t);
    if (g === current) return;
    if (current) current.els.forEach(function (el) { el.removeAttribute("aria-current"); });
    current = g;
    if (!g) return;
    g.els.forEach(function (el) { el.setAttribute("aria-current", "true"); });
    if (follow && follow.checked && !inView(g.els[0])) {
      g.els[0].scrollIntoView({ block: "center", behavior: motion && motion.matches ? "auto" : "smooth" });
    }
  }

  function tick() { if (player) mark(player.time()); }

  // The player: an <audio>/<video> element, or YouTube's through its IFrame API.
  var media = box.querySelector("audio, video");
  if (media) {
    player = {
      ready: function () { return true; },
      time: function () { return media.currentTime; },
      seek: function (t) {
        media.currentTime = t;
        var playing = media.play();
        if (playing && playing.catch) playing.catch(function () { /* the reader can press play */ });
      }
    };
    media.addEventListener("timeupdate", tick);
    media.addEventListener("seeked", tick);
    // Space and the arrow keys are the browser's own while the player has focus.
  } else if (box.getAttribute("data-player") === "youtube") {
    player = youtube(box.querySelector("iframe"));
  }
  if (!player) return;

  function youtube(frame) {
    var yt = null, ready = false, timer = 0;
    var api = {
      ready: function () { return ready; },
      time: function () { return ready ? yt.getCurrentTime() : 0; },
      seek: function (t) { yt.seekTo(t, true); yt.playVideo(); }
    };
    function attach() {
      yt = new window.YT.Player(frame, { events: {
        onReady: function () { ready = true; },
        onStateChange: function (e) {
          clearInterval(timer);
          if (e.data === window.YT.PlayerState.PLAYING) timer = setInterval(tick, 250);
          tick();
        }
      } });
    }
    if (window.YT && window.YT.Player) { attach(); return api; }
    var before = window.onYouTubeIframeAPIReady;
    window.onYouTubeIframeAPIReady = function () { if (before) before(); attach(); };
    var script = document.createElement("script");
    script.src = "https://www.youtube.com/iframe_api";
    document.head.appendChild(script);
    return api;
  }

  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest(".who [data-start], a.pt");
    if (!el || e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || !player.ready()) return;
    e.preventDefault();
    var t = parseFloat(el.getAttribute("data-start"));
    if (!el.classList.contains("play")) history.replaceState(null, "", el.getAttribute("href"));
    player.seek(t);
    mark(t);
  });

  if (follow && groups.length) {
    var label = follow.closest(".follow");
    label.hidden = false;
    try {
      follow.checked = localStorage.getItem("gloss-follow") !== "off";
      follow.addEventListener("change", function () {
        localStorage.setItem("gloss-follow", follow.checked ? "on" : "off");
      });
    } catch (err) { /* no storage (private mode, file://): the switch still works */ }
  }
})();
