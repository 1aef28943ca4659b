// Move focus to the error summary so screen-reader and keyboard users hear it first.
(function () {
  "use strict";
  var summary = document.querySelector("[data-guichet-error-summary]");
  if (summary) { summary.focus(); }
})();
