// Click (or Enter on) a highlighted passage: show its attributions' source, kind and stance in the panel.
// Text is copied with textContent only, never parsed as HTML.
(function () {
  "use strict";
  function show(seg) {
    var detail = document.getElementById("detail");
    if (!detail) return;
    document.querySelectorAll(".seg.active, ol.attributions li.active").forEach(function (el) { el.classList.remove("active"); });
    seg.classList.add("active");
    detail.textContent = "";
    var ids = (seg.getAttribute("data-att") || "").split(" ").filter(Boolean);
    ids.forEach(function (id) {
      var item = document.getElementById("att-" + id);
      if (!item) return;
      item.classList.add("active");
      var p = document.createElement("p");
      p.textContent = item.querySelector("b").textContent + " · stance: " + item.querySelector(".tag").textContent +
        " · " + item.querySelector(".form").textContent;
      detail.appendChild(p);
    });
    var title = seg.getAttribute("title") || "";
    if (!ids.length && title) {
      var q = document.createElement("p");
      q.textContent = title;
      detail.appendChild(q);
    }
  }
  document.addEventListener("click", function (ev) {
    var seg = ev.target.closest && ev.target.closest(".seg");
    if (seg) show(seg);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.classList && ev.target.classList.contains("seg")) show(ev.target);
  });
}());
