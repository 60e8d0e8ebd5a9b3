"""The HTML report's inline style sheet and script (harness.render.html puts them in the page).

The script never builds markup from data: every name and token becomes a text node
(`textContent`), so a summary holding `<script>` is shown, never run. It sorts the
per-document table (built from its own compact JSON block) and renders the drill-down of the
selected system, document and reference from that document's own JSON block, parsed only when
selected.
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
.warnings { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 12px 6px 28px; font-size: 0.85rem; }
.note { color: var(--muted); font-size: 0.85rem; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 24px; }
svg.chart { font-size: 11px; }
svg.chart .bar { fill: #3b82c4; }
svg.chart .bar.baseline { fill: #b8c0c8; stroke: #59636e; stroke-dasharray: 3 2; }
svg.chart .whisker { stroke: #1f2328; stroke-width: 1.2; }
svg.chart .axis { stroke: var(--line); }
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
  function pct(x) { return (x === null || x === undefined) ? "-" : (100 * x).toFixed(2); }
  var labels = readJson("harness-labels");

  // Per-document table: one row per system and document, from its compact block.
  var table = document.getElementById("doc-table");
  var scores = readJson("doc-scores");
  if (table && scores) {
    var rows = [];
    scores.systems.forEach(function (name, s) {
      scores.documents.forEach(function (doc, d) { rows.push([name, doc].concat(scores.values[s][d])); });
    });
    var body = table.tBodies[0];
    var note = document.getElementById("doc-note");
    var render = function () {
      body.textContent = "";
      rows.slice(0, ROW_CAP).forEach(function (row) {
        var tr = document.createElement("tr");
        row.forEach(function (v, i) { tr.appendChild(el("td", i < 2 ? v : pct(v), i < 2 ? "name" : "")); });
        body.appendChild(tr);
      });
      note.textContent = rows.length > ROW_CAP ? "Showing the first " + ROW_CAP + " of " + rows.length +
        " rows in this order; sort by a column to see others." : rows.length + " rows.";
    };
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, col) {
      th.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "descending" ? "ascending" : "descending";
        if (col < 2 && !th.hasAttribute("aria-sort")) dir = "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        var sign = dir === "ascending" ? 1 : -1;
        rows.sort(function (a, b) {
          var x = a[col], y = b[col];
          if (x === y) return 0;
          if (x === null) return 1;
          if (y === null) return -1;
          return (x < y ? -1 : 1) * sign;
        });
        render();
      });
    });
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
    names.forEach(function (n, i) { var o = el("option", n); o.value = String(i); select.appendChild(o); });
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
    var system = sysSel.options[sysSel.selectedIndex] ? sysSel.options[sysSel.selectedIndex].textContent : null;
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
    cand.appendChild(el("h3", "Candidate: " + system));
    cand.appendChild(marked(entry, side(marks, "c"), entry.offtopic, entry.fact_items));
    ref.appendChild(el("h3", "Reference: " + data.references[r].name + (r === entry.best ? " (best)" : "")));
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
  refSel.addEventListener("change", function () { draw(Number(refSel.value)); });
  draw(null);
})();
"""
