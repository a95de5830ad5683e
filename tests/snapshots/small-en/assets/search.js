// Finds wards and communes by name as the reader types, and by the names they had before
// the reorganisation of 1 July 2025: in the tables or lists marked `data-search`, or, on a
// site of thousands of units, in the compact index of every unit (`data-index`, a script
// loaded when the reader starts to type). Only an enhancement: without JavaScript every
// name is there, in the table or in the list (folded away on the home page), or on the
// pages of the areas. Diacritics and case are ignored, so "long my" finds "Phường Long
// Mỹ", and "long tri" finds it too, as what Xã Long Trị became.
(function () {
  "use strict";
  var lists = document.querySelectorAll("[data-search]");
  if (!lists.length || !"".normalize) return;
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function olds(text) {
    return (text || "").split("|").filter(Boolean).map(function (o) { return { raw: o, key: fold(o) }; });
  }
  var first = lists[0];
  var say = function (name) { return first.getAttribute("data-" + name) || ""; };
  var index = say("index");
  var items = [];
  Array.prototype.forEach.call(lists, function (list) {
    if (list.hasAttribute("data-index")) return;
    var rows = list.tBodies ? (list.tBodies.length ? list.tBodies[0].rows : []) : list.children;
    Array.prototype.forEach.call(rows, function (row) {
      var cell = row.cells ? row.cells[0] : row;
      var link = cell.querySelector("a") || cell;
      // A list that shows old names already (the home page's) is not told them again.
      var shows = !!row.querySelector(".was");
      items.push({ row: row, cell: cell, key: fold(link.textContent), old: olds(row.getAttribute("data-old")), shows: shows, note: null });
    });
  });
  var box = document.createElement("div");
  box.className = "search";
  var label = document.createElement("label");
  label.setAttribute("for", "unit-search");
  label.textContent = say("search");
  var input = document.createElement("input");
  input.type = "search";
  input.id = "unit-search";
  input.autocomplete = "off";
  input.placeholder = say("placeholder");
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  box.appendChild(label);
  box.appendChild(input);
  box.appendChild(status);
  var found = null;
  if (index) {
    found = document.createElement("ul");
    found.className = "found";
    box.appendChild(found);
  }
  // Where the page says (above lists in several sections, which it searches together),
  // else above the list, or above the folded box it is in.
  var folded = first.closest ? first.closest("details") : null;
  var anchor = document.querySelector("[data-search-here]") || folded || first;
  anchor.parentNode.insertBefore(box, anchor);

  // Which of `item`'s names holds `q`: "" for its own, an old one's words, or null.
  function hit(item, q) {
    if (item.key.indexOf(q) !== -1) return "";
    for (var k = 0; k < item.old.length; k += 1) {
      if (item.old[k].key.indexOf(q) !== -1) return item.old[k].raw;
    }
    return null;
  }
  function was(old) {
    return say("was").replace("{old}", old);
  }

  var units = null;
  var loading = false;
  function load() {
    if (!index || units || loading) return;
    loading = true;
    status.textContent = say("loading");
    var root = say("root");
    window.tiendoFind = function (data) {
      units = data.u.map(function (u) {
        return { name: u[0], href: root + "localities/" + u[1] + "/index.html", key: fold(u[0]), old: olds(u[2]) };
      });
      run();
    };
    var script = document.createElement("script");
    script.src = index;
    document.head.appendChild(script);
  }

  var SHOWN = 20;
  function run() {
    var q = fold(input.value);
    var n = 0;
    if (index) {
      found.textContent = "";
      if (!units) return;
      if (q === "") {
        status.textContent = "";
        return;
      }
      // Units by their own name first, then those found by a name they had.
      var hits = [[], []];
      units.forEach(function (u) {
        var old = hit(u, q);
        if (old !== null) hits[old ? 1 : 0].push([u, old]);
      });
      hits = hits[0].concat(hits[1]);
      n = hits.length;
      hits.slice(0, SHOWN).forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = h[0].href;
        a.textContent = h[0].name;
        li.appendChild(a);
        if (h[1]) li.appendChild(document.createTextNode(" (" + was(h[1]) + ")"));
        found.appendChild(li);
      });
      var more = n > SHOWN ? " " + say("more").replace("{n}", String(SHOWN)) : "";
      status.textContent = say("found").replace("{n}", String(n)) + more;
      return;
    }
    items.forEach(function (it) {
      var old = q === "" ? "" : hit(it, q);
      it.row.hidden = old === null;
      if (old !== null) n += 1;
      // A row found by an old name says so.
      var tell = old && !it.shows;
      if (tell && !it.note) {
        it.note = document.createElement("span");
        it.note.className = "was";
        it.cell.appendChild(it.note);
      }
      if (it.note) it.note.textContent = tell ? " (" + was(old) + ")" : "";
    });
    if (folded && q !== "") folded.open = true;
    status.textContent = q === "" ? "" : say("found").replace("{n}", String(n));
  }
  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    load();
    run();
  });
})();
