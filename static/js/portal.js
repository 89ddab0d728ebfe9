// Portal Kompetensi ASN: small progressive enhancements (no framework, CSP-safe: no eval, no inline).
(function () {
  "use strict";
  // Move keyboard focus to an error summary when one is rendered or swapped in, so screen readers announce it.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:after:swap", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var target = ctx && ctx.target;
    if (target && target.querySelector && target.querySelector(".error-summary")) { focusErrorSummary(target); }
  });
  // A table wider than the screen scrolls inside its .table-wrap: say so above it, or its right-hand
  // columns stay hidden on a phone with no hint (the text comes translated from <body data-scroll-hint>).
  function hintWideTables(root) {
    var text = document.body && document.body.getAttribute("data-scroll-hint");
    if (!text) { return; }
    var wraps = (root || document).querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      var hint = wrap.previousElementSibling;
      var has = hint && hint.classList.contains("scroll-hint");
      var wide = wrap.offsetParent !== null && wrap.scrollWidth > wrap.clientWidth + 1;
      if (wide && !has) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = text;
        wrap.parentNode.insertBefore(hint, wrap);
      } else if (!wide && has) {
        hint.parentNode.removeChild(hint);
      }
    }
  }
  document.addEventListener("DOMContentLoaded", function () { hintWideTables(document); });
  document.addEventListener("htmx:after:swap", function () { hintWideTables(document); });
  document.addEventListener("toggle", function () { hintWideTables(document); }, true);
  window.addEventListener("resize", function () { hintWideTables(document); });
  // Tell the user that the answer was NOT saved, next to the question.
  function markUnsaved(source) {
    var status = source && source.querySelector ? source.querySelector(".save-status") : null;
    if (status) {
      status.classList.add("is-error");
      status.textContent = status.getAttribute("data-error-text") ||
        "Gagal menyimpan: periksa koneksi internet, lalu pilih lagi jawaban Anda.";
    }
  }
  // A network error or timeout swaps nothing in htmx 4.
  document.addEventListener("htmx:error", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (ctx && ctx.response) { return; }
    markUnsaved(evt.target);
  });
  // The database is away (503): the server's message goes to the flash area (HX-Retarget), the mark here.
  document.addEventListener("htmx:response:error", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (ctx && ctx.response && ctx.response.status === 503) { markUnsaved(evt.target); }
  });
  // A request queued behind another (hx-sync "queue last": two quick changes in one question) keeps the
  // target found when it was triggered; the first answer's outerHTML swap replaces that element, and
  // htmx 4 drops an answer whose target is detached (status, error and progress of the newer answer
  // lost, seen behind a second hop: tests/test_two_hosts.py). Find the target again by its id.
  document.addEventListener("htmx:after:request", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var target = ctx && ctx.target;
    if (target && target.nodeType === 1 && !target.isConnected && target.id) {
      var current = document.getElementById(target.id);
      if (current) { ctx.target = current; }
    }
  });
})();
