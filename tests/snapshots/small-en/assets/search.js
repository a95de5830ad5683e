// Finds wards and communes by name as the reader types, in the tables or lists marked
// `data-search`. Only an enhancement: without JavaScript every name is there, in the
// table or in the list (folded away on the home page). Diacritics and case are ignored,
// so "long my" finds "Phường Long Mỹ".
(function () {
  "use strict";
  var lists = document.querySelectorAll("[data-search]");
  if (!lists.length || !"".normalize) return;
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var first = lists[0];
  var items = [];
  Array.prototype.forEach.call(lists, function (list) {
    var rows = list.tBodies ? (list.tBodies.length ? list.tBodies[0].rows : []) : list.children;
    Array.prototype.forEach.call(rows, function (row) {
      var name = row.cells ? row.cells[0] : row;
      items.push({ row: row, name: fold(name.textContent) });
    });
  });
  var box = document.createElement("div");
  box.className = "search";
  var label = document.createElement("label");
  label.setAttribute("for", "unit-search");
  label.textContent = first.getAttribute("data-search");
  var input = document.createElement("input");
  input.type = "search";
  input.id = "unit-search";
  input.autocomplete = "off";
  input.placeholder = first.getAttribute("data-placeholder") || "";
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  box.appendChild(label);
  box.appendChild(input);
  box.appendChild(status);
  // Above the list, or above the folded box it is in.
  var folded = first.closest ? first.closest("details") : null;
  var anchor = folded || first;
  anchor.parentNode.insertBefore(box, anchor);
  input.addEventListener("input", function () {
    var q = fold(input.value);
    var shown = 0;
    items.forEach(function (it) {
      var hit = q === "" || it.name.indexOf(q) !== -1;
      it.row.hidden = !hit;
      if (hit) shown += 1;
    });
    if (folded && q !== "") folded.open = true;
    status.textContent = q === "" ? "" : first.getAttribute("data-found").replace("{n}", String(shown));
  });
})();
