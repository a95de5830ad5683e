// Added by `tiendo serve` to the pages it serves, never to a build: reloads the page
// after each good rebuild, and shows the problems over the page after a failed one.
(function () {
  "use strict";
  var me = document.currentScript;
  var generation = Number(new URL(me.src, location.href).searchParams.get("g"));
  var box = null;
  function show(errors, heading) {
    if (!errors) {
      if (box) { box.remove(); box = null; }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;overflow:auto;z-index:99999;background:#fff;" +
        "color:#1a1a1a;padding:1rem;font:14px/1.45 \"Cascadia Mono\",Consolas,Menlo,\"Liberation Mono\",\"Courier New\",\"Noto Sans Mono\",monospace;border-top:6px solid #b3261e";
      var title = document.createElement("p");
      title.style.cssText = "font:bold 16px/1.3 system-ui,sans-serif;margin:0 0 .8rem";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;font:inherit;margin:0";
      box.appendChild(title);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.firstChild.textContent = heading;
    box.lastChild.textContent = errors;
  }
  function poll() {
    fetch("/__tiendo/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        show(s.errors, s.title);
        if (s.generation !== generation && !s.errors) { location.reload(); }
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, 300); });
  }
  poll();
})();
