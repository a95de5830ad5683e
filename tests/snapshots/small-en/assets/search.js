// Filters the table of wards and communes as the reader types. Only an enhancement:
// without JavaScript the whole table is there. Diacritics and case are ignored, so
// "long my" finds "Phường Long Mỹ".
(function () {
  "use strict";
  var table = document.querySelector("table[data-search]");
  if (!table || !table.tBodies.length || !"".normalize) return;
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var rows = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
    return { tr: tr, name: fold(tr.cells[0].textContent) };
  });
  var box = document.createElement("div");
  box.className = "search";
  var label = document.createElement("label");
  label.setAttribute("for", "unit-search");
  label.textContent = table.getAttribute("data-search");
  var input = document.createElement("input");
  input.type = "search";
  input.id = "unit-search";
  input.autocomplete = "off";
  input.placeholder = table.getAttribute("data-placeholder") || "";
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  box.appendChild(label);
  box.appendChild(input);
  box.appendChild(status);
  var wrap = table.parentNode;
  wrap.parentNode.insertBefore(box, wrap);
  input.addEventListener("input", function () {
    var q = fold(input.value);
    var shown = 0;
    rows.forEach(function (r) {
      var hit = q === "" || r.name.indexOf(q) !== -1;
      r.tr.hidden = !hit;
      if (hit) shown += 1;
    });
    status.textContent = q === "" ? "" : table.getAttribute("data-found").replace("{n}", String(shown));
  });
})();
