// Error summaries (templates/includes/error_summary.html): the first one on the page takes
// the focus so screen-reader and keyboard users hear it first; each of its links moves the
// focus into the field it names, not only the scroll position.
(function () {
  "use strict";
  var summary = document.querySelector("[data-guichet-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
})();
