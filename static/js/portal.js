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
  // A network error or timeout swaps nothing in htmx 4: tell the user that the answer was NOT saved.
  document.addEventListener("htmx:error", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (ctx && ctx.response) { return; }
    var source = evt.target;
    var status = source && source.querySelector ? source.querySelector(".save-status") : null;
    if (status) {
      status.classList.add("is-error");
      status.textContent = status.getAttribute("data-error-text") ||
        "Gagal menyimpan: periksa koneksi internet, lalu pilih lagi jawaban Anda.";
    }
  });
})();
