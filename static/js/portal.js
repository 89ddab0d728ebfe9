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
      // a region that scrolls must take keyboard focus, or arrow keys cannot reach its hidden columns
      if (wide && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : text);
      }
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
  // A network error or timeout swaps nothing in htmx 4, and an answer that did not reach the server must
  // not be lost: say "not saved" next to it, and send it again (the element's `retrysave` trigger posts
  // its current value) when the browser is back online, or after a growing pause, until the server
  // answers. The server's answer then replaces the status with "Tersimpan".
  var unsaved = [];
  var retryTimer = null;
  var retryDelay = 2000;
  function retryUnsaved() {
    retryTimer = null;
    if (navigator.onLine === false) { scheduleRetry(); return; }  // the "online" event comes sooner
    var pending = unsaved;
    unsaved = [];
    for (var i = 0; i < pending.length; i++) {
      if (pending[i].isConnected) { pending[i].dispatchEvent(new CustomEvent("retrysave")); }
    }
  }
  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = setTimeout(retryUnsaved, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }
  function markUnsaved(source, ctx) {
    var status = source && source.querySelector ? source.querySelector(".save-status") : null;
    if (!status) { return; }
    status.classList.add("is-error");
    var text = status.querySelector(".save-status-text") || status;
    text.textContent = status.getAttribute("data-error-text") || "Belum tersimpan.";
    if (ctx && unsaved.indexOf(source) < 0) { unsaved.push(source); }
    scheduleRetry();
  }
  window.addEventListener("online", function () { clearTimeout(retryTimer); retryDelay = 2000; retryUnsaved(); });
  document.addEventListener("htmx:after:request", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    // A request queued behind another (hx-sync "queue last": two quick changes in one question) keeps the
    // target found when it was triggered; the first answer's outerHTML swap replaces that element, and
    // htmx 4 drops an answer whose target is detached (status, error and progress of the newer answer
    // lost, seen behind a second hop: tests/test_two_hosts.py). Find the target again by its id.
    var target = ctx && ctx.target;
    if (target && target.nodeType === 1 && !target.isConnected && target.id) {
      var current = document.getElementById(target.id);
      if (current) { ctx.target = current; }
    }
    if (!ctx || !ctx.response || ctx.response.status >= 500) { return; }
    retryDelay = 2000;
    var at = unsaved.indexOf(ctx.sourceElement);
    if (at >= 0) { unsaved.splice(at, 1); }
  });
  document.addEventListener("htmx:error", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (ctx && ctx.response) { return; }
    markUnsaved(evt.target, ctx);
  });
  // The database is away (503): the server's message goes to the flash area (HX-Retarget), the mark here,
  // and the answer is sent again like one that met no network.
  document.addEventListener("htmx:response:error", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (ctx && ctx.response && ctx.response.status === 503) { markUnsaved(evt.target, ctx); }
  });
})();
