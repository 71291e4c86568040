/* gloss player: progressive enhancement of a transcript page with a recording.
   Without this script the page reads fully and the recording plays with the
   browser's own controls; with it:
   - clicking a time seeks the player instead of leaving the page, the
     paragraph being spoken is marked (aria-current) and, while "Follow along"
     is on, kept in view;
   - a bar of buttons: back 15 s, forward 30 s, speed (0.8x to 2x, kept for the
     next page in localStorage) and the chapter being played; for audio it
     takes the place of the browser's controls, with play and a scrubber that
     has the chapters marked on it;
   - the chapter list plays from its chapter;
   - (the second part, apart) a paragraph linked by its #id lands with its
     speaker's name in view below the bar, and the words of the search result
     that led there are marked.
   It reads only data attributes that the templates write: data-player
   ("audio", "video" or "youtube") and data-youtube on the player, data-start
   (seconds, from the source) on paragraphs, turn times and chapter links.
   No times are invented: a page without them gets a player that only plays. */
(function () {
  "use strict";
  var box = document.querySelector("[data-player]");
  if (!box) return;
  var EPSILON = 0.05; // a seek lands a hair before the time asked for
  var SPEEDS = [0.8, 1, 1.25, 1.5, 1.75, 2];
  var motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var sticky = box.classList.contains("player-audio"); // audio stays on screen (player.css)
  var follow = box.querySelector(".follow input");
  var bar = box.querySelector(".bar");
  var said = box.querySelector("[data-said]");
  var groups = []; // {start, els}: a timed paragraph and the untimed ones after it
  var current = null;
  var player = null;

  function clock(s) {
    s = Math.floor(s);
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (sec < 10 ? "0" : "") + sec;
  }

  function store(key, value) {
    try {
      if (value === undefined) return localStorage.getItem(key);
      localStorage.setItem(key, value);
    } catch (err) { /* no storage (private mode, file://): nothing is remembered */ }
    return null;
  }

  // Said to screen readers, once per action (a status region in player.html).
  function say(text) {
    if (!said) return;
    said.textContent = said.textContent === text ? text + "\u00a0" : text;
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
  // Paragraphs without a time of their own (a turn timed only at its start, a
  // long cue made into paragraphs) share out the time to the next start by
  // their length, so one paragraph is marked at a time, not the whole turn: an
  // estimate, as the speech runs at an even pace.
  ordered = ordered.reduce(function (out, g, k) {
    if (g.els.length === 1) { out.push(g); return out; }
    var sizes = g.els.map(function (el) { return el.textContent.split(/\s+/).length; });
    var total = sizes.reduce(function (a, b) { return a + b; }, 0);
    var end = k + 1 < ordered.length ? ordered[k + 1].start : g.start + total * 0.4;
    var at = g.start;
    g.els.forEach(function (el, i) {
      out.push({ start: at, els: [el] });
      at += (end - g.start) * sizes[i] / total;
    });
    return out;
  }, []);

  // The chapters with a start, from the chapter list (the links carry data-start
  // only on pages with a recording).
  var chapters = [];
  document.querySelectorAll("nav.toc a[data-start]").forEach(function (a) {
    var start = parseFloat(a.getAttribute("data-start"));
    if (!isNaN(start)) chapters.push({ start: start, title: a.textContent.trim(), href: a.getAttribute("href") });
  });
  chapters.sort(function (a, b) { return a.start - b.start; });

  function lastAt(list, t) {
    var lo = 0, hi = list.length - 1, found = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid].start <= t + EPSILON) { found = list[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  // How much of the top of the window the player covers.
  function covered() { return sticky ? Math.max(box.getBoundingClientRect().bottom, 0) : 0; }

  function inView(el) {
    var r = el.getBoundingClientRect();
    return r.top >= covered() && r.bottom <= window.innerHeight;
  }

  function mark(t, still) {
    var g = lastAt(ordered, t);
    if (g === current) return;
    if (current) current.els.forEach(function (el) { el.removeAttribute("aria-current"); });
    current = g;
    if (!g) return;
    g.els.forEach(function (el) { el.setAttribute("aria-current", "true"); });
    if (!still && follow && follow.checked && !inView(g.els[0])) {
      g.els[0].scrollIntoView({ block: "center", behavior: motion && motion.matches ? "auto" : "smooth" });
    }
  }

  // The player: an <audio>/<video> element, or YouTube's through its IFrame API.
  // Each gives: ready(), time(), seek(t) (and play), jump(t) (and keep playing or
  // not), duration() (NaN while unknown), rate() / rate(r), speeds().
  var media = box.querySelector("audio, video");
  if (media) {
    player = {
      ready: function () { return true; },
      time: function () { return media.currentTime; },
      seek: function (t) {
        media.currentTime = t;
        var playing = media.play();
        if (playing && playing.catch) playing.catch(function () { /* the reader can press play */ });
      },
      jump: function (t) { media.currentTime = t; },
      duration: function () { return media.duration; },
      rate: function (r) {
        if (r) media.defaultPlaybackRate = media.playbackRate = r; // the default outlasts a reload of the media
        return media.playbackRate;
      },
      speeds: function () { return SPEEDS; }
    };
    ["timeupdate", "seeked"].forEach(function (e) { media.addEventListener(e, tick); });
    ["loadedmetadata", "durationchange"].forEach(function (e) { media.addEventListener(e, measured); });
    ["play", "pause", "ended"].forEach(function (e) { media.addEventListener(e, playing); });
    media.addEventListener("ratechange", showRate);
  } else if (box.getAttribute("data-player") === "youtube") {
    player = youtube(box.querySelector("iframe"));
  }
  if (!player) return;

  function youtube(frame) {
    var yt = null, ready = false, timer = 0;
    var has = function (name) { return yt && typeof yt[name] === "function"; };
    var api = {
      ready: function () { return ready; },
      time: function () { return ready ? yt.getCurrentTime() : 0; },
      seek: function (t) { yt.seekTo(t, true); yt.playVideo(); },
      jump: function (t) { yt.seekTo(t, true); },
      duration: function () { return has("getDuration") ? yt.getDuration() || NaN : NaN; },
      rate: function (r) {
        if (r && has("setPlaybackRate")) yt.setPlaybackRate(r);
        return has("getPlaybackRate") ? yt.getPlaybackRate() : r || 1;
      },
      speeds: function () { // YouTube's own steps, within 0.75x to 2x
        var all = has("getAvailablePlaybackRates") ? yt.getAvailablePlaybackRates() : [];
        all = all.filter(function (r) { return r >= 0.75 && r <= 2; });
        return all.length > 1 ? all : SPEEDS;
      }
    };
    function attach() {
      yt = new window.YT.Player(frame, { events: {
        onReady: function () { ready = true; enhance(); },
        onStateChange: function (e) {
          clearInterval(timer);
          if (e.data === window.YT.PlayerState.PLAYING) timer = setInterval(tick, 250);
          tick();
        },
        onPlaybackRateChange: showRate
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

  // The bar.
  var seekBar = bar && bar.querySelector(".seek");
  var playButton = bar && bar.querySelector(".play");
  var nowChapter = bar && bar.querySelector(".chapter-now");
  var elapsed = bar && bar.querySelector(".elapsed");
  var total = bar && bar.querySelector(".total");
  var marks = bar && bar.querySelector(".chapter-marks");
  var dragging = false;

  function enhance() {
    if (!bar) return;
    if (media && media.tagName === "AUDIO") media.controls = false; // the bar's own take their place
    bar.hidden = false;
    if (follow) bar.appendChild(follow.closest(".follow")); // one row with the buttons
    var kept = parseFloat(store("gloss-speed"));
    if (kept >= 0.5 && kept <= 3 && kept !== 1) player.rate(kept);
    showRate();
    measured();
    playing();
    if (player.ready()) show(player.time()); // nothing is marked before the reader plays or seeks
    height();
  }

  function tick() {
    if (!player.ready()) return;
    var t = player.time();
    mark(t);
    if (!dragging) show(t);
  }

  function show(t) {
    var d = player.duration();
    var ch = lastAt(chapters, t);
    if (nowChapter) {
      nowChapter.hidden = !ch;
      if (ch) {
        nowChapter.querySelector(".title").textContent = ch.title;
        nowChapter.setAttribute("href", ch.href);
      }
    }
    if (elapsed) elapsed.textContent = clock(t);
    if (seekBar) {
      if (!dragging) seekBar.value = String(t);
      seekBar.style.setProperty("--done", (d > 0 ? Math.min(t / d, 1) * 100 : 0) + "%");
      seekBar.setAttribute("aria-valuetext",
        clock(t) + (d > 0 && isFinite(d) ? " of " + clock(d) : "") + (ch ? ", " + ch.title : ""));
    }
  }

  function measured() {
    var d = player.duration();
    var known = d > 0 && isFinite(d);
    if (total) total.textContent = known ? clock(d) : "–:––";
    if (seekBar) {
      seekBar.max = known ? String(d) : "0";
      seekBar.disabled = !known;
    }
    if (marks) {
      marks.textContent = "";
      if (known) {
        chapters.forEach(function (ch) {
          if (ch.start <= 0 || ch.start >= d) return;
          var notch = document.createElement("span");
          notch.className = "chapter-mark";
          notch.style.left = (ch.start / d * 100) + "%";
          notch.title = ch.title + " · " + clock(ch.start);
          notch.setAttribute("data-start", String(ch.start));
          marks.appendChild(notch);
        });
      }
    }
    if (player.ready()) show(player.time());
  }

  function playing() {
    if (!playButton) return;
    var on = !media.paused;
    bar.classList.toggle("playing", on);
    playButton.setAttribute("aria-label", on ? "Pause" : "Play");
  }

  function rateText(r) { return (Math.round(r * 100) / 100) + "\u00d7"; }

  function showRate() {
    var speed = bar && bar.querySelector(".speed .rate");
    if (speed && player.ready()) speed.textContent = rateText(player.rate());
  }

  function jumpBy(seconds) {
    var d = player.duration();
    var t = Math.max(0, player.time() + seconds);
    if (d > 0 && isFinite(d)) t = Math.min(t, d);
    player.jump(t);
    mark(t);
    show(t);
    return t;
  }

  if (bar) {
    bar.addEventListener("click", function (e) {
      if (!player.ready()) return;
      var button = e.target.closest("button");
      if (!button) return;
      if (button.hasAttribute("data-skip")) {
        var by = parseFloat(button.getAttribute("data-skip"));
        var t = jumpBy(by);
        say((by < 0 ? "Back " : "Forward ") + Math.abs(by) + " seconds, at " + clock(t));
      } else if (button === playButton) {
        if (media.paused) {
          var p = media.play();
          if (p && p.catch) p.catch(function () { playing(); });
          say("Playing");
        } else {
          media.pause();
          say("Paused");
        }
      } else if (button.classList.contains("speed")) {
        var now = player.rate(), speeds = player.speeds();
        var next = speeds.filter(function (r) { return r > now + 0.001; })[0] || speeds[0];
        var got = player.rate(next) || next;
        store("gloss-speed", String(next));
        showRate();
        say("Speed " + rateText(got));
      }
    });
  }

  if (seekBar) {
    seekBar.addEventListener("input", function () {
      dragging = true;
      var t = parseFloat(seekBar.value) || 0;
      player.jump(t);
      show(t);
    });
    seekBar.addEventListener("change", function () { dragging = false; tick(); });
    seekBar.addEventListener("pointerup", function () { dragging = false; });
    // The arrow keys move 5 s and Page Up / Page Down a minute; Home and End
    // are the browser's own.
    seekBar.addEventListener("keydown", function (e) {
      var steps = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5, PageDown: -60, PageUp: 60 };
      if (!(e.key in steps) || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      jumpBy(steps[e.key]);
    });
  }

  if (marks) {
    marks.addEventListener("click", function (e) {
      var notch = e.target.closest(".chapter-mark");
      if (!notch) return;
      var t = parseFloat(notch.getAttribute("data-start"));
      player.jump(t);
      mark(t);
      show(t);
    });
  }

  // How tall the bar is, for landing below it (player.css: scroll-margin-top).
  function height() {
    if (sticky) document.documentElement.style.setProperty("--player-h", box.offsetHeight + "px");
  }
  if (sticky && window.ResizeObserver) new ResizeObserver(height).observe(box);

  document.addEventListener("click", function (e) {
    if (e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || !player.ready()) return;
    var el = e.target.closest && e.target.closest(".who [data-start], a.pt");
    var chapter = !el && e.target.closest && e.target.closest("nav.toc a[data-start], .chapter-pop a[data-start]");
    if (chapter) {
      // The link still goes to the heading; the recording plays from there, and
      // follow-along does not scroll away from it.
      var c = parseFloat(chapter.getAttribute("data-start"));
      player.seek(c);
      mark(c, true);
      show(c);
      return;
    }
    if (!el) return;
    e.preventDefault();
    var t = parseFloat(el.getAttribute("data-start"));
    if (!el.classList.contains("play")) history.replaceState(null, "", el.getAttribute("href"));
    player.seek(t);
    mark(t);
  });

  if (follow && groups.length) {
    var label = follow.closest(".follow");
    label.hidden = false;
    follow.checked = store("gloss-follow") !== "off";
    follow.addEventListener("change", function () { store("gloss-follow", follow.checked ? "on" : "off"); });
  }

  if (media) enhance();
})();
