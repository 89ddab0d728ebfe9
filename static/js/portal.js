// Portal Kompetensi ASN: small progressive enhancements (no framework, CSP-safe: no eval, no inline).
(function () {
  "use strict";
  // Move keyboard focus to an error summary when one is swapped in or rendered, so screen readers announce it.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:after:swap", function (evt) {
    var target = evt.detail && evt.detail.ctx && evt.detail.ctx.target;
    if (target && target.querySelector && target.querySelector(".error-summary")) { focusErrorSummary(target); }
  });
})();
