"""The HTML report's inline style sheet and script (harness.render.html puts them in the page).

The script never builds markup from data: every name and token becomes a text node
(`textContent`), so a summary holding `<script>` is shown, never run. It builds and sorts the wide
per-document table (a row per document, a column per system, from its own compact JSON block)
and renders the drill-down of the selected system, document and reference from that document's
own JSON block, parsed only when selected.
"""

from __future__ import annotations

# Chinese renders with whatever CJK font the system has: Noto / Source Han (Linux, Android),
# PingFang (macOS, iOS), Microsoft YaHei (Windows); nothing is downloaded.
FONTS = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif'
)

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0; background: #fff; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.5rem; margin: 8px 0 4px; }
h2 { font-size: 1.15rem; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, .sig { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; }
.sig { background: var(--bg); border: 1px solid var(--line); padding: 6px 8px; word-break: break-all; font-size: 0.8rem; }
.settings { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.85rem; color: var(--muted); margin: 6px 0; }
.settings b { color: var(--ink); font-weight: 600; }
.warnings { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 12px; font-size: 0.85rem; margin: 12px 0; }
.warnings summary { cursor: pointer; }
.warnings ul { padding-left: 16px; margin: 6px 0 0; }
#ranked td.name, #ranked th:nth-child(2) { text-align: left; }
.note { color: var(--muted); font-size: 0.85rem; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 24px; }
svg.chart { font-size: 11px; }
svg.chart .bar { fill: #3b82c4; }
svg.chart .bar.baseline { fill: #e3a33b; }
svg.chart .whisker { stroke: #1f2328; stroke-width: 1.2; }
svg.chart .axis { stroke: var(--muted); }
svg.chart .grid { stroke: var(--line); stroke-width: 0.6; }
svg.chart text.tick { fill: var(--muted); font-size: 10px; }
#ranked { margin-bottom: 6px; }
#ranked td.rank { font-weight: 600; }
#ranked .ci { color: var(--muted); font-weight: 400; font-size: 0.8rem; }
#ranked tr.baseline td.name { border-left: 4px solid #e3a33b; }
.tag { font-size: 0.7rem; background: #fdf0d5; color: #7a4a00; border: 1px solid #e3a33b; border-radius: 8px;
  padding: 0 6px; margin-left: 4px; }
.key.baseline { display: inline-block; width: 12px; height: 10px; background: #e3a33b; }
#ranked td.vs small { color: var(--muted); font-size: 0.75rem; }
#ranked td, #ranked th { padding: 3px 6px; }
#ranked td.sig.higher { color: #1a7f37; }
#ranked td.sig.lower { color: #b3261e; }
#ranked td.vs.ns, #ranked td.vs.self { color: var(--muted); }
svg.chart text.title { font-weight: 600; font-size: 12px; }
svg.chart text.value { fill: var(--muted); }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child, td.name { text-align: left; }
thead th { background: var(--bg); }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " \\25B2"; }
table.sortable th[aria-sort="descending"]::after { content: " \\25BC"; }
td.heat { min-width: 64px; text-align: center; }
.wide { overflow-x: auto; max-width: 100%; }
#doc-table th.baseline::before { content: "\\25C6\\00a0"; color: #b7791f; }
#doc-table td.baseline { background: #fdf6e7; }
.drill-controls button { font: inherit; padding: 0 6px; }
tr.failing td { background: #ffebe9; }
.status-regressed, .status-below-min, .status-missing { color: #b3261e; font-weight: 600; }
.status-improved { color: #1a7f37; }
.drill-controls { display: flex; flex-wrap: wrap; gap: 8px 16px; margin: 6px 0 10px; font-size: 0.9rem; }
.drill-controls select { font: inherit; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.pane { border: 1px solid var(--line); padding: 8px 10px; }
.pane h3 { font-size: 0.95rem; margin: 0 0 6px; }
.text p { margin: 0 0 4px; font-size: 1rem; }
.tok { padding: 0 1px; margin: 0 1px; border-radius: 2px; }
.tok.u { background: #fde68a; }
.tok.b { border-bottom: 3px solid #2563eb; }
.tok.l { box-shadow: inset 0 0 0 1.5px #15803d; font-weight: 600; }
.tok.o { color: #b3261e; text-decoration: line-through; }
.tok.f { outline: 2px dashed #c2410c; outline-offset: 1px; }
.legend span { margin-right: 12px; }
.scores { font-size: 0.85rem; color: var(--muted); }
""".replace("FONTS", FONTS)

JS = r"""
(function () {
  "use strict";
  var ROW_CAP = 500;
  function readJson(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  // Names as harness.render.names.html_name shows them: invisible characters as escapes (as
  // harness.errors.visible writes them, a backslash doubled), isolated in <bdi>, and past NAME_CAP
  // characters shortened, the whole name in the tooltip.
  var NAME_CAP = 60;
  var HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
  function visible(text) {
    return Array.from(String(text)).map(function (ch) {
      var named = { "\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\" }[ch];
      if (named) return named;
      var code = ch.codePointAt(0);
      if (!HIDDEN.test(ch) && !(code >= 0xFDD0 && code <= 0xFDEF) && (code & 0xFFFE) !== 0xFFFE) return ch;
      var hex = code.toString(16);
      if (code <= 0xFF) return "\\x" + ("0" + hex).slice(-2);
      return code <= 0xFFFF ? "\\u" + ("000" + hex).slice(-4) : "\\U" + ("0000000" + hex).slice(-8);
    }).join("");
  }
  function shortened(full) {
    var chars = Array.from(full);
    return chars.length <= NAME_CAP ? full : chars.slice(0, NAME_CAP - 1).join("") + "\u2026";
  }
  function nameEl(tag, prefix, name, cls) {
    var node = el(tag, prefix, cls), full = visible(name), bdi = document.createElement("bdi");
    bdi.textContent = shortened(full);
    if (bdi.textContent !== full) node.title = full;
    node.appendChild(bdi);
    return node;
  }
  function pct(x) { return (x === null || x === undefined) ? "-" : (100 * x).toFixed(2); }
  var labels = readJson("harness-labels");

  // Per-document table: one row per document, one column per system, the value chosen in a menu.
  var table = document.getElementById("doc-table");
  var scores = readJson("doc-scores");
  if (table && scores) {
    var measure = document.getElementById("doc-measure");
    scores.headers.forEach(function (h, i) { var o = el("option", h); o.value = String(i); measure.appendChild(o); });
    measure.value = String(scores.shown);
    var headRow = table.tHead.rows[0];
    headRow.appendChild(el("th", "Document"));
    scores.systems.forEach(function (name, s) {
      var th = nameEl("th", null, name, scores.baseline[s] ? "baseline" : "");
      if (scores.baseline[s]) th.title = (th.title ? th.title + ": " : "") + "baseline computed from the source (--baselines)";
      headRow.appendChild(th);
    });
    var order = scores.documents.map(function (_, d) { return d; });
    var body = table.tBodies[0];
    var note = document.getElementById("doc-note");
    var sortCol = -1, sortSign = 1;
    var value = function (d, col) {
      return col === 0 ? scores.documents[d] : scores.values[col - 1][d][Number(measure.value)];
    };
    var sort = function () {
      if (sortCol < 0) return;
      order.sort(function (a, b) {
        var x = value(a, sortCol), y = value(b, sortCol);
        if (x === y) return a - b;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * sortSign;
      });
    };
    var render = function () {
      body.textContent = "";
      var k = Number(measure.value);
      order.slice(0, ROW_CAP).forEach(function (d) {
        var tr = document.createElement("tr");
        tr.appendChild(nameEl("td", null, scores.documents[d], "name"));
        scores.systems.forEach(function (_, s) {
          tr.appendChild(el("td", pct(scores.values[s][d][k]), scores.baseline[s] ? "baseline" : ""));
        });
        body.appendChild(tr);
      });
      note.textContent = order.length > ROW_CAP ? "Showing the first " + ROW_CAP + " of " + order.length +
        " documents in this order; sort by a column to see others." : order.length + " documents.";
    };
    var headers = headRow.cells;
    Array.prototype.forEach.call(headers, function (th, col) {
      th.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
        if (col === 0 && !th.hasAttribute("aria-sort")) dir = "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        sortCol = col;
        sortSign = dir === "ascending" ? 1 : -1;
        sort();
        render();
      });
    });
    measure.addEventListener("change", function () { sort(); render(); });
    render();
  }

  // Drill-down: the selected candidate beside the selected reference, tokens marked.
  var index = readJson("drill-index");
  if (!index || !index.documents.length) return;
  var cache = {};
  var sysSel = document.getElementById("drill-system");
  var docSel = document.getElementById("drill-doc");
  var refSel = document.getElementById("drill-ref");
  function load(i) {
    if (!(i in cache)) cache[i] = readJson("drill-" + i);
    return cache[i];
  }
  function fill(select, names) {
    select.textContent = "";
    names.forEach(function (n, i) {
      var o = el("option", shortened(visible(n)));
      o.value = String(i);
      if (o.textContent !== visible(n)) o.title = visible(n);
      select.appendChild(o);
    });
  }
  function marked(text, marks, off, facts) {
    var classes = text.tokens.map(function () { return []; });
    [["1", "u"], ["2", "b"], ["l", "l"]].forEach(function (pair) {
      (marks[pair[0]] || []).forEach(function (i) { classes[i].push(pair[1]); });
    });
    (off || []).forEach(function (i) { classes[i].push("o"); });
    var titles = {};
    (facts || []).forEach(function (item) {
      item.at.forEach(function (i) { classes[i].push("f"); titles[i] = item.status + ": " + item.text; });
    });
    var box = el("div", null, "text");
    var at = 0;
    text.sentences.forEach(function (n) {
      var p = el("p");
      for (var i = at; i < at + n; i++) {
        var span = el("span", text.tokens[i], "tok " + classes[i].join(" "));
        span.setAttribute("data-i", String(i));
        if (titles[i]) { span.setAttribute("title", titles[i]); }
        p.appendChild(span);
      }
      at += n;
      box.appendChild(p);
    });
    return box;
  }
  function side(m, prefix) {
    return { "1": m[prefix + "1"], "2": m[prefix + "2"], "l": m[prefix + "l"] };
  }
  function draw(keepRef) {
    var data = load(Number(docSel.value));
    var names = Object.keys(data.systems);
    var system = sysSel.value === "" ? null : index.systems[Number(sysSel.value)];  // by index: option texts are shortened
    var entry = data.systems[system];
    var cand = document.getElementById("drill-cand");
    var ref = document.getElementById("drill-ref-text");
    var info = document.getElementById("drill-info");
    cand.textContent = ""; ref.textContent = ""; info.textContent = "";
    fill(refSel, data.references.map(function (r) { return r.name; }));
    if (!entry) {
      info.textContent = names.length ? "No summary of this document by this system." : "No submitted system here.";
      return;
    }
    var r = keepRef !== null && keepRef < data.references.length ? keepRef : entry.best;
    refSel.value = String(r);
    var marks = entry.marks[r];
    cand.appendChild(nameEl("h3", "Candidate: ", system));
    cand.appendChild(marked(entry, side(marks, "c"), entry.offtopic, entry.fact_items));
    var heading = nameEl("h3", "Reference: ", data.references[r].name);
    if (r === entry.best) heading.appendChild(document.createTextNode(" (best)"));
    ref.appendChild(heading);
    ref.appendChild(marked(data.references[r], side(marks, "r"), null));
    var scores = entry.scores[r];
    info.appendChild(el("div", Object.keys(scores).map(function (m) {
      return (labels.metrics[m] || m) + " F " + pct(scores[m]);
    }).join("   ") + "   (against this reference)", "scores"));
    if (entry.missed) {
      var ul = el("ul", null, "missed");
      Object.keys(entry.missed).forEach(function (theme) {
        var total = entry.missed[theme].length + entry.covered[theme].length;
        ul.appendChild(el("li", theme + " " + entry.covered[theme].length + "/" + total + " covered; missed: " +
          (entry.missed[theme].join("、") || "-")));
      });
      info.appendChild(el("div", "Theme units", "note"));
      info.appendChild(ul);
    }
  }
  fill(sysSel, index.systems);
  fill(docSel, index.documents);
  sysSel.addEventListener("change", function () { draw(null); });
  docSel.addEventListener("change", function () { draw(null); });
  [["drill-prev", -1], ["drill-next", 1]].forEach(function (pair) {
    document.getElementById(pair[0]).addEventListener("click", function () {
      var i = docSel.selectedIndex + pair[1];
      if (i < 0 || i >= index.documents.length) return;
      docSel.selectedIndex = i;
      draw(null);
    });
  });
  refSel.addEventListener("change", function () { draw(Number(refSel.value)); });
  draw(null);
})();
"""
