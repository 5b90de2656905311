/* rpmgraph's interactive page: the graph drawn by cytoscape.js at the positions
   rpmgraph computed, a search box, and a side panel with a package's details.
   Metadata is only ever put into the page as text (textContent), never as HTML. */
(function () {
  "use strict";

  var KINDS = ["pre-requires", "requires", "recommends", "suggests", "supplements", "enhances",
               "buildrequires"];
  var EDGE_LOOK = {
    "pre-requires": { width: 2.4, style: "solid", color: "#555555" },
    "requires": { width: 1.2, style: "solid", color: "#777777" },
    "recommends": { width: 1.2, style: "dashed", color: "#777777" },
    "suggests": { width: 1.2, style: "dotted", color: "#777777" },
    "supplements": { width: 1.2, style: "dashed", color: "#aaaaaa" },
    "enhances": { width: 1.2, style: "dotted", color: "#aaaaaa" },
    "buildrequires": { width: 2.4, style: "solid", color: "#b45f06" }
  };
  var data = JSON.parse(document.getElementById("rpmgraph-data").textContent);
  var big = data.nodes.length > 1500;
  var byId = {};
  var outgoing = {};
  var incoming = {};
  var unresolved = {};
  var listItems = {};

  data.nodes.forEach(function (n) { byId[n.id] = n; outgoing[n.id] = []; incoming[n.id] = []; });
  data.edges.forEach(function (e) { outgoing[e.source].push(e); incoming[e.target].push(e); });
  data.unresolved.forEach(function (u) { (unresolved[u.source] = unresolved[u.source] || []).push(u); });

  function element(tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (cls) { el.className = cls; }
    return el;
  }

  function nodeSize(label) {
    var lines = label.split("\n");
    var longest = Math.max.apply(null, lines.map(function (l) { return l.length; }));
    return { w: Math.max(44, longest * 7.2 + 16), h: lines.length * 17 + 10 };
  }

  function elements() {
    var out = [];
    data.nodes.forEach(function (n) {
      var size = nodeSize(n.label);
      out.push({ group: "nodes", position: { x: n.x, y: n.y },
        data: { id: n.id, label: n.label, fill: n.fill, role: n.role, w: size.w, h: size.h,
          broken: unresolved[n.id] ? 1 : 0 } });
    });
    var pairs = {};
    data.edges.forEach(function (e) {
      var key = e.source + "\u0000" + e.target;
      var seen = pairs[key];
      if (!seen || KINDS.indexOf(e.kind) < KINDS.indexOf(seen.data.kind)) {
        pairs[key] = { group: "edges", data: { id: "e" + out.length + ":" + Object.keys(pairs).length,
          source: e.source, target: e.target, kind: e.kind } };
      }
    });
    Object.keys(pairs).forEach(function (k) { out.push(pairs[k]); });
    return out;
  }

  function styles() {
    var list = [
      { selector: "node", style: {
        "shape": "round-rectangle", "width": "data(w)", "height": "data(h)",
        "background-color": "data(fill)", "border-width": 1, "border-color": "#5b7fa6",
        "label": "data(label)", "text-wrap": "wrap", "text-valign": "center",
        "text-halign": "center", "font-size": 14, "font-family": "Helvetica, Arial, sans-serif",
        "color": "#1d2733", "min-zoomed-font-size": big ? 9 : 5 } },
      { selector: "node[role = 'root']", style: { "border-width": 3, "font-weight": "bold" } },
      { selector: "node[role = 'alternative']", style: { "border-style": "dashed", "color": "#999999" } },
      { selector: "node[broken = 1]", style: { "border-color": "#cc0000", "border-width": 2 } },
      { selector: "edge", style: {
        "width": 1.2, "line-color": "#888888", "target-arrow-color": "#888888",
        "target-arrow-shape": "triangle", "arrow-scale": 0.8,
        "curve-style": big ? "straight" : "bezier" } }
    ];
    KINDS.forEach(function (kind) {
      var look = EDGE_LOOK[kind];
      list.push({ selector: "edge[kind = '" + kind + "']", style: {
        "width": look.width, "line-style": look.style, "line-color": look.color,
        "target-arrow-color": look.color } });
    });
    return list.concat([
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: "node.match", style: { "border-color": "#e67e22", "border-width": 4 } },
      { selector: "node.chosen", style: { "border-color": "#d35400", "border-width": 5,
        "z-index": 20 } },
      { selector: "node.dependency", style: { "border-color": "#2e7d32", "border-width": 3 } },
      { selector: "node.dependent", style: { "border-color": "#7b1fa2", "border-width": 3 } },
      { selector: "edge.dependency", style: { "line-color": "#2e7d32",
        "target-arrow-color": "#2e7d32", "width": 2.5, "z-index": 10 } },
      { selector: "edge.dependent", style: { "line-color": "#7b1fa2",
        "target-arrow-color": "#7b1fa2", "width": 2.5, "z-index": 10 } }
    ]);
  }

  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements(),
    style: styles(),
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.01, maxZoom: 4, boxSelectionEnabled: false, autoungrabify: big,
    textureOnViewport: big, hideEdgesOnViewport: big, motionBlur: false,
    pixelRatio: big ? 1 : "auto"
  });

  // ---------------------------------------------------------------- details panel

  var info = document.getElementById("info");

  function linkTo(id) {
    var b = element("button", id);
    b.type = "button";
    b.addEventListener("click", function () { select(id, true); });
    return b;
  }

  function edgeList(title, edges, other) {
    var box = element("div");
    box.appendChild(element("h3", title + " (" + edges.length + ")"));
    var ul = element("ul");
    edges.slice().sort(function (a, b) { return other(a) < other(b) ? -1 : other(a) > other(b) ? 1 : 0; })
      .forEach(function (e) {
        var li = element("li");
        li.appendChild(linkTo(other(e)));
        li.appendChild(element("span", e.kind, "kind"));
        li.appendChild(element("span", e.capabilities.join(", "), "caps"));
        ul.appendChild(li);
      });
    box.appendChild(ul);
    return box;
  }

  function showDetails(id) {
    var n = byId[id];
    info.textContent = "";
    info.appendChild(element("h2", n.id));
    info.appendChild(element("p", n.summary, "summary-text"));
    var dl = element("dl");
    var rows = [["name", n.name], ["version", (n.epoch ? n.epoch + ":" : "") + n.version + "-" + n.release],
      ["arch", n.arch], ["repository", n.repo], ["installed size", n.size],
      ["download size", n.downloadsize + " B"], ["source rpm", n.sourcerpm],
      ["role", (data.roles[n.role] || {}).text || n.role]];
    if (n.status) { rows.push(["diff", n.status]); }
    rows.forEach(function (r) { dl.appendChild(element("dt", r[0])); dl.appendChild(element("dd", r[1])); });
    info.appendChild(dl);
    info.appendChild(edgeList("Depends on", outgoing[id], function (e) { return e.target; }));
    info.appendChild(edgeList("Required by", incoming[id], function (e) { return e.source; }));
    var missing = unresolved[id] || [];
    if (missing.length) {
      info.appendChild(element("h3", "Nothing provides (" + missing.length + ")", "unresolved"));
      var ul = element("ul");
      missing.forEach(function (u) {
        var li = element("li", u.capability, "unresolved");
        li.appendChild(element("span", u.kind, "kind"));
        ul.appendChild(li);
      });
      info.appendChild(ul);
    }
  }

  // ---------------------------------------------------------------- selection

  var current = null;

  function clearMarks() {
    cy.batch(function () {
      cy.elements().removeClass("faded chosen dependency dependent");
    });
    if (current && listItems[current]) { listItems[current].removeAttribute("aria-current"); }
    current = null;
  }

  function select(id, center) {
    var node = cy.getElementById(id);
    if (!node || node.empty()) { return false; }
    clearMarks();
    current = id;
    cy.batch(function () {
      cy.elements().addClass("faded");
      node.removeClass("faded").addClass("chosen");
      node.outgoers().removeClass("faded").addClass("dependency");
      node.incomers().removeClass("faded").addClass("dependent");
    });
    if (listItems[id]) {
      listItems[id].setAttribute("aria-current", "true");
      listItems[id].scrollIntoView({ block: "nearest" });
    }
    showDetails(id);
    if (center) { focus(node); }
    return true;
  }

  function focus(node) {
    // The package and its neighbours in view, not zoomed in further than readable size.
    // Zoomed out no further than labels stay readable: far neighbours are listed in the panel.
    cy.fit(node.closedNeighborhood(), 40);
    var level = Math.min(1.2, Math.max(cy.zoom(), 0.75));
    if (level !== cy.zoom()) { cy.zoom(level); }
    cy.center(node);
  }

  function clearAll() {
    clearMarks();
    info.textContent = "";
    info.appendChild(element("p", "Click a package to see what it depends on and what depends on it.", "hint"));
  }

  cy.on("tap", "node", function (evt) { select(evt.target.id(), false); });
  cy.on("tap", function (evt) { if (evt.target === cy) { clearAll(); } });

  // ---------------------------------------------------------------- package list and search

  Array.prototype.forEach.call(document.querySelectorAll("#packages li"), function (li) {
    var button = li.querySelector("button");
    var id = button.getAttribute("data-id");
    listItems[id] = li;
    button.addEventListener("click", function () { select(id, true); });
  });

  var search = document.getElementById("search");
  var matchesText = document.getElementById("matches");
  var matched = [];

  function provides(id, q) {
    return incoming[id].some(function (e) {
      return e.capabilities.some(function (c) { return c.toLowerCase().indexOf(q) >= 0; });
    });
  }

  function find(query) {
    var q = query.trim().toLowerCase();
    matched = [];
    cy.batch(function () {
      cy.nodes().removeClass("match");
      data.nodes.forEach(function (n) {
        var hit = q !== "" && (n.id.toLowerCase().indexOf(q) >= 0 || provides(n.id, q));
        if (hit) { matched.push(n.id); cy.getElementById(n.id).addClass("match"); }
        listItems[n.id].classList.toggle("hidden", q !== "" && !hit);
      });
    });
    matchesText.textContent = q === "" ? "" : matched.length + (matched.length === 1 ? " match" : " matches");
    return matched.slice();
  }

  search.addEventListener("input", function () { find(search.value); });
  search.addEventListener("keydown", function (evt) {
    if (evt.key === "Enter" && matched.length) { select(matched[0], true); }
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "/" && document.activeElement !== search) { evt.preventDefault(); search.focus(); }
    if (evt.key === "Escape") { search.value = ""; find(""); clearAll(); }
  });
  document.getElementById("fit").addEventListener("click", function () { cy.fit(undefined, 30); });
  document.getElementById("clear").addEventListener("click", function () {
    search.value = ""; find(""); clearAll(); cy.fit(undefined, 30);
  });

  // ---------------------------------------------------------------- legend

  function legend() {
    var box = document.getElementById("legend");
    box.appendChild(element("h2", "Legend"));
    var used = {};
    data.nodes.forEach(function (n) { used[data.color_by === "repo" ? "repo:" + n.repo : n.role] = n.fill; });
    var order = Object.keys(data.roles);
    Object.keys(used).sort(function (a, b) {
      var d = order.indexOf(a) - order.indexOf(b);
      return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
    }).forEach(function (key) {
      var row = element("div");
      var sw = element("span", null, "sw");
      sw.style.background = used[key];
      row.appendChild(sw);
      var text = key.indexOf("repo:") === 0 ? "repository " + key.slice(5) : (data.roles[key] || {}).text || key;
      row.appendChild(document.createTextNode(text));
      box.appendChild(row);
    });
    var kinds = {};
    data.edges.forEach(function (e) { kinds[e.kind] = true; });
    KINDS.filter(function (k) { return kinds[k]; }).forEach(function (kind) {
      var row = element("div");
      var line = element("span", null, "ln");
      line.style.borderTopStyle = EDGE_LOOK[kind].style;
      line.style.borderTopColor = EDGE_LOOK[kind].color;
      line.style.borderTopWidth = EDGE_LOOK[kind].width > 2 ? "3px" : "2px";
      row.appendChild(line);
      row.appendChild(document.createTextNode(kind));
      box.appendChild(row);
    });
    var marks = [["#2e7d32", "depends on (selected)"], ["#7b1fa2", "required by (selected)"]];
    marks.forEach(function (m) {
      var row = element("div");
      var line = element("span", null, "ln");
      line.style.borderTopColor = m[0];
      row.appendChild(line);
      row.appendChild(document.createTextNode(m[1]));
      box.appendChild(row);
    });
  }

  legend();

  var fromHash = /^#node=(.+)$/.exec(window.location.hash);
  if (fromHash) { select(decodeURIComponent(fromHash[1]), true); }

  window.addEventListener("resize", function () { cy.resize(); });
  window.rpmgraph = { cy: cy, data: data, select: select, find: find, clear: clearAll };
  cy.ready(function () {
    window.requestAnimationFrame(function () { document.documentElement.setAttribute("data-ready", "true"); });
  });
}());
