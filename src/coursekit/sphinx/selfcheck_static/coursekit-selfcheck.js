/* coursekit self-checks: immediate feedback on a static page, no kernel, no network.
 *
 * Each self-check is a <form class="coursekit-sc-form"> holding its key as JSON
 * (<script type="application/json" class="coursekit-sc-data">). Muscle names and action
 * phrases are read against window.COURSEKIT_NAMES (coursekit-selfcheck-data.js, exported
 * from coursekit.names when the book is built), mirroring coursekit.names in Python:
 * the same normalisation, aliases, spellings and fuzzy-match thresholds.
 */
(function () {
  "use strict";

  var T = function () { return window.COURSEKIT_NAMES || { index: {}, notes: {}, wholes: {},
    spellings: {}, filler: [], accept: 86, margin: 6, suggest: 60, actions: {}, tilts: {} }; };

  // ------------------------------------------------------------------ text matching
  function normalize(text) {
    var t = T();
    var s = String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    s = s.replace(/[^a-z0-9']+/g, " ").replace(/'/g, "");
    return s.split(" ").filter(function (w) { return w && t.filler.indexOf(w) < 0; })
      .map(function (w) { return t.spellings[w] || w; }).join(" ");
  }

  function lcs(a, b) {
    var prev = new Array(b.length + 1).fill(0), cur;
    for (var i = 1; i <= a.length; i++) {
      cur = [0];
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      prev = cur;
    }
    return prev[b.length];
  }

  function ratio(a, b) {  // rapidfuzz fuzz.ratio: normalised Indel similarity, 0-100
    if (!a.length && !b.length) { return 100; }
    return 200 * lcs(a, b) / (a.length + b.length);
  }

  function similarity(a, b) {
    var sorted = function (s) { return s.split(" ").sort().join(" "); };
    return Math.max(ratio(a.replace(/ /g, ""), b.replace(/ /g, "")), ratio(sorted(a), sorted(b)));
  }

  function matchMuscle(text) {
    var t = T(), key = normalize(text);
    if (!key) { return { status: "unknown" }; }
    var names = t.index[key], how = "exact";
    if (!names) {
      if (key.replace(/ /g, "").length < 4) { return { status: "unknown" }; }
      var best = { score: -1 }, bySet = {};
      Object.keys(t.index).forEach(function (cand) {
        var set = t.index[cand].join("|"), score = similarity(key, cand);
        if (!bySet[set] || score > bySet[set].score) { bySet[set] = { score: score, key: cand, names: t.index[cand] }; }
      });
      Object.keys(bySet).forEach(function (set) { if (bySet[set].score > best.score) { best = bySet[set]; } });
      var runner = 0;
      Object.keys(bySet).forEach(function (set) {
        var other = bySet[set];
        var disjoint = other.names.every(function (n) { return best.names.indexOf(n) < 0; });
        if (disjoint && other.score > runner) { runner = other.score; }
      });
      if (best.score >= t.accept && best.score - runner >= t.margin) {
        names = best.names; key = best.key; how = "fuzzy";
      } else {
        var hint = best.score >= t.suggest ? best.names.map(function (n) { return n.replace(/^[!@]/, ""); }).join(" or ") : null;
        return { status: "unknown", suggestion: hint };
      }
    }
    if (names.some(function (n) { return n[0] === "!"; })) { return { status: "outside", note: t.notes[key] }; }
    if (names.some(function (n) { return n[0] === "@"; })) { return { status: "group", note: t.notes[key] }; }
    if (names.length > 1 && !t.wholes[key]) {
      return { status: "ambiguous", note: "'" + text + "' could mean " + names.join(" or ") + "; name one" };
    }
    return { status: "muscle", names: names, how: how, preferred: t.wholes[key] || names[0] };
  }

  function phrase(text, tables) {
    var key = String(text).toLowerCase().replace(/_/g, " ").replace(/[^a-z]+/g, " ").trim();
    var lookup = {};
    tables.forEach(function (table) {
      Object.keys(table).forEach(function (name) {
        table[name].forEach(function (w) {
          var k = w.toLowerCase().replace(/[^a-z]+/g, " ").trim();
          if (!(k in lookup)) { lookup[k] = name; }
        });
      });
    });
    if (key in lookup) { return lookup[key]; }
    if (key.length < 6) { return null; }
    var ranked = Object.keys(lookup).map(function (w) { return [ratio(key, w), lookup[w]]; })
      .sort(function (a, b) { return b[0] - a[0]; });
    var best = ranked[0], runner = 0;
    for (var i = 1; i < ranked.length; i++) { if (ranked[i][1] !== best[1]) { runner = ranked[i][0]; break; } }
    return best[0] >= 88 && best[0] - runner >= 8 ? best[1] : null;
  }

  function items(text) {
    var seen = {};
    return String(text).split(/[,;\n]+|\band\b|&|\+/).map(function (s) { return s.trim(); })
      .filter(function (s) { if (!s || seen[s.toLowerCase()]) { return false; } seen[s.toLowerCase()] = 1; return true; });
  }

  function label(value) { return String(value).replace(/_/g, " "); }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // ------------------------------------------------------------------ checkers
  function checkChoice(form, data) {
    var picked = Array.prototype.slice.call(form.querySelectorAll("input:checked")).map(function (i) { return i.value; });
    if (!picked.length) { return { score: 0, lines: ["Choose " + (data.kind === "choice" ? "one option" : "at least one option") + " first."], empty: true }; }
    var lines = [], right = 0, wrong = 0, nright = 0;
    data.options.forEach(function (o) {
      if (o.correct) { nright += 1; }
      if (picked.indexOf(o.key) < 0) { return; }
      if (o.correct) { right += 1; } else { wrong += 1; }
      lines.push("(" + o.key + ") " + (o.correct ? "Right. " : "Not right. ") + (o.feedback || ""));
    });
    if (data.kind === "multichoice" && right < nright) { lines.push(plural(nright - right, "right option") + " still to find."); }
    return { score: Math.max(0, (right - wrong) / nright), lines: lines };
  }

  function checkMuscles(text, data) {
    var list = items(text), lines = [], right = {}, wrong = [];
    if (!list.length) { return { score: 0, lines: ["Type one or more muscle names, separated by commas."], empty: true }; }
    list.forEach(function (item) {
      var m = matchMuscle(item);
      if (m.status === "outside") { wrong.push("'" + item + "': " + (m.note || "not a muscle of this course") + "."); return; }
      if (m.status === "group" || m.status === "ambiguous") { lines.push((m.note || item) + ". It was not counted."); return; }
      if (m.status === "unknown") {
        lines.push("Could not read '" + item + "' as a muscle of this course" + (m.suggestion ? "; did you mean " + m.suggestion + "?" : ".") + " It was not counted.");
        return;
      }
      var hit = null;
      m.names.forEach(function (n) { if (!hit && data.counts[n]) { hit = data.counts[n]; } });
      var shown = hit || m.preferred;
      if (normalize(item) !== normalize(shown)) { lines.push("Counted '" + item + "' as " + shown + "."); }
      if (hit) { right[hit] = 1; return; }
      if (m.names.some(function (n) { return data.optional.indexOf(n) >= 0; })) {
        lines.push(shown + " neither counts for nor against you here (sources disagree)."); return;
      }
      wrong.push("Not right: " + shown + ". " + (data.reasons[m.preferred] || ""));
    });
    var n = data.expected.length, got = Object.keys(right).length;
    var score = Math.max(0, (got - wrong.length) / n);
    lines.push(got + " of " + n + " right" + (wrong.length ? "; " + plural(wrong.length, "wrong pick") + ", and each cancels a right one." : "."));
    lines = lines.concat(wrong);
    if (got < n) { lines.push(plural(n - got, "muscle") + " still missing."); }
    return { score: score, lines: lines };
  }

  function checkAction(text, data) {
    var t = T(), list = items(text), lines = [], given = [];
    if (!list.length) { return { score: 0, lines: ["Type an action or direction."], empty: true }; }
    var tiltFirst = data.expected.some(function (e) { return /tilt|neutral/.test(e); });
    var tables = tiltFirst ? [t.tilts, t.actions] : [t.actions, t.tilts];
    list.forEach(function (item) {
      var v = phrase(item, tables);
      if (!v) { lines.push("Could not read '" + item + "' as an action; write e.g. 'extension', 'external rotation' or 'anterior tilt'."); return; }
      if (given.indexOf(v) < 0) { given.push(v); }
    });
    var right = given.filter(function (g) { return data.expected.indexOf(g) >= 0; });
    var wrong = given.filter(function (g) { return data.expected.indexOf(g) < 0; });
    wrong.forEach(function (w) { lines.push("Not right: " + label(w) + ". " + (data.misconceptions[w] || "")); });
    var missing = data.expected.length - right.length;
    if (missing > 0) { lines.push(plural(missing, "action") + " still missing."); }
    return { score: Math.max(0, (right.length - wrong.length) / data.expected.length), lines: lines };
  }

  function checkNumber(text, data) {
    var s = String(text).replace(/\u2212/g, "-").replace(",", ".");
    var m = s.match(/-?\d+(\.\d+)?/);
    if (!m) { return { score: 0, lines: ["Type a number" + (data.units ? " in " + data.units : "") + "."], empty: true }; }
    var v = parseFloat(m[0]), tol = data.tolerance || 0;
    if (Math.abs(v - data.expected) <= tol + 1e-9) { return { score: 1, lines: [] }; }
    if (Math.abs(-v - data.expected) <= tol + 1e-9 && data.expected !== 0) {
      return { score: 0, lines: ["Right size, wrong sign. The convention here: " + (data.sign || "see the question") + "."] };
    }
    return { score: 0, lines: ["Not within the accepted range. " + (v > data.expected ? "Too high." : "Too low.")] };
  }

  // ------------------------------------------------------------------ page wiring
  function show(form, result) {
    var box = form.querySelector(".coursekit-sc-feedback");
    box.textContent = "";
    box.className = "coursekit-sc-feedback " + (result.empty ? "coursekit-sc-empty" : result.score >= 0.999 ? "coursekit-sc-right" : result.score > 0 ? "coursekit-sc-partial" : "coursekit-sc-wrong");
    var head = document.createElement("p"), icon = document.createElement("span");
    head.className = "coursekit-sc-verdict";
    icon.setAttribute("aria-hidden", "true");  // the words carry the verdict; the sign only repeats it
    icon.textContent = result.empty ? "" : result.score >= 0.999 ? "\u2714 " : result.score > 0 ? "\u25D1 " : "\u2718 ";
    head.appendChild(icon);
    head.appendChild(document.createTextNode(result.empty ? "No answer yet." : result.score >= 0.999 ? "Correct." : result.score > 0 ? "Partly right (" + Math.round(result.score * 100) + "%)." : "Not yet."));
    box.appendChild(head);
    result.lines.filter(Boolean).forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
  }

  function reveal(form, on) {
    var answer = form.parentNode.querySelector(".coursekit-sc-answer");
    if (answer) { answer.classList.toggle("coursekit-sc-shown", on); }
    var button = form.querySelector(".coursekit-sc-reveal");
    if (button) { button.textContent = on ? "Hide answer" : "Show answer"; button.setAttribute("aria-expanded", on ? "true" : "false"); }
  }

  function judge(form, data) {
    var input = form.querySelector(".coursekit-sc-input");
    var value = input ? input.value : "";
    switch (data.kind) {
      case "choice": case "multichoice": return checkChoice(form, data);
      case "muscles": return checkMuscles(value, data);
      case "action": return checkAction(value, data);
      case "number": return checkNumber(value, data);
      default:
        reveal(form, true);
        return { score: 1, lines: ["Compare your answer with the model answer below."], empty: !value.trim() };
    }
  }

  function init(form) {
    var data = JSON.parse(form.querySelector(".coursekit-sc-data").textContent);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); show(form, judge(form, data)); });
    var button = form.querySelector(".coursekit-sc-reveal");
    button.addEventListener("click", function () {
      var answer = form.parentNode.querySelector(".coursekit-sc-answer");
      reveal(form, !(answer && answer.classList.contains("coursekit-sc-shown")));
    });
  }

  // ------------------------------------------------------------------ print
  // On paper the answers are collected at the end (a numbered list after the last page);
  // each self-check says where its answer is. Runs before printing, once.
  function collectAnswers() {
    var boxes = document.querySelectorAll(".coursekit-selfcheck");
    if (!boxes.length || document.querySelector(".coursekit-sc-answers")) { return boxes.length; }
    var section = document.createElement("section"), title = document.createElement("h2"), list = document.createElement("ol");
    section.className = "coursekit-sc-answers";
    section.id = "coursekit-sc-answers";
    title.textContent = "Answers to the self-checks";
    section.appendChild(title);
    section.appendChild(list);
    Array.prototype.forEach.call(boxes, function (box, i) {
      var n = i + 1, item = document.createElement("li"), head = document.createElement("p");
      var where = box.querySelector(".coursekit-sc-title"), answer = box.querySelector(".coursekit-sc-answer");
      head.className = "coursekit-sc-answers-head";
      head.textContent = where ? where.textContent : "Self-check";
      item.appendChild(head);
      if (answer) {
        var copy = answer.cloneNode(true);
        copy.removeAttribute("id");
        copy.className = "coursekit-sc-answer-copy";
        Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
        item.appendChild(copy);
      }
      list.appendChild(item);
      var note = document.createElement("p");
      note.className = "coursekit-sc-print-note";
      note.textContent = "Answer: self-check " + n + " in \u201cAnswers to the self-checks\u201d at the end.";
      box.appendChild(note);
      if (where) { where.setAttribute("data-number", String(n)); }
    });
    var main = document.querySelector("main article, main, article, body");
    main.appendChild(section);
    noteWidgets();
    return boxes.length;
  }

  // An exercise whose widgets cannot be drawn on paper (the single-page book keeps no
  // saved widget state) says where to use it instead of leaving a silent gap.
  function noteWidgets() {
    var views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
    Array.prototype.forEach.call(views, function (view) {
      var out = view.parentNode;
      if (!out || out.querySelector(".jupyter-widgets, .coursekit-sc-widget-note")) { return; }
      var note = document.createElement("p");
      note.className = "coursekit-sc-print-note coursekit-sc-widget-note";
      note.textContent = "Interactive exercise: use it on the course site or in JupyterLab.";
      out.appendChild(note);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.coursekit-sc-form"), init);
    window.addEventListener("beforeprint", collectAnswers);
  }
  window.coursekitSelfcheck = { normalize: normalize, matchMuscle: matchMuscle, phrase: phrase, ratio: ratio,
    collectAnswers: collectAnswers };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
