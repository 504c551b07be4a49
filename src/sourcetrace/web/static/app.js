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
      var sure = item.querySelector(".confidence");
      if (sure) p.textContent += " · " + sure.textContent;
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
// Corrections: select text in the article to add a missed attribution (offsets into the article text, which is
// the text div's textContent exactly); the reader's name is remembered in localStorage; an error comes back in
// the query string.
(function () {
  "use strict";
  var textEl = document.getElementById("article-text");
  var form = document.getElementById("add-attribution");
  if (!textEl || !form) return;
  function selectionOffsets() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!textEl.contains(range.startContainer) || !textEl.contains(range.endContainer)) return null;
    var before = document.createRange();
    before.selectNodeContents(textEl);
    before.setEnd(range.startContainer, range.startOffset);
    var start = before.toString().length;
    var end = start + range.toString().length;
    var text = textEl.textContent;
    while (start < end && /\s/.test(text.charAt(start))) start++;
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    return end > start ? { start: start, end: end, text: text.slice(start, end) } : null;
  }
  var last = null;
  document.addEventListener("selectionchange", function () {
    var got = selectionOffsets();
    if (got) last = got;
  });
  function use(prefix, preview) {
    if (!last) return;
    document.getElementById(prefix + "_start").value = last.start;
    document.getElementById(prefix + "_end").value = last.end;
    document.getElementById(preview).textContent = "“" + last.text + "”";
    if (prefix === "source") {
      var speaker = document.getElementById("add-speaker");
      if (speaker && !speaker.value) speaker.value = last.text;
    }
  }
  document.getElementById("use-content").addEventListener("click", function () { use("content", "content-preview"); });
  document.getElementById("use-source").addEventListener("click", function () { use("source", "source-preview"); });
  var remembered = "";
  try { remembered = window.localStorage.getItem("sourcetrace-author") || ""; } catch (e) { remembered = ""; }
  document.querySelectorAll("input.author").forEach(function (input) { if (!input.value) input.value = remembered; });
  document.addEventListener("submit", function (ev) {
    var author = ev.target.querySelector && ev.target.querySelector("input.author");
    if (author && author.value) {
      try { window.localStorage.setItem("sourcetrace-author", author.value); } catch (e) { /* private mode */ }
    }
  });
  var error = new URLSearchParams(window.location.search).get("correction_error");
  var errorEl = document.getElementById("correction-error");
  if (error && errorEl) { errorEl.textContent = error; errorEl.hidden = false; }
}());
