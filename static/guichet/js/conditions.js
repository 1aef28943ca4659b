/* Conditional fields of a filing form (ADR 0020), the same rule as cases.formdef's
   visible_names: a block with data-show-if-field / data-show-if-value shows when the field
   it names is shown and has that answer (contains it, for several checkboxes). Blocks come
   in the definition's order and refer only to earlier fields, so one pass in order is
   enough. Without JavaScript nothing is hidden. Hidden answers stay typed in the page: the
   server ignores them at submission. */
(function () {
  "use strict";

  function answers(form, name) {
    var values = [];
    form.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { values.push(input.value); }
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }

  function update(form) {
    var shown = {};
    form.querySelectorAll("[data-block]").forEach(function (block) {
      var name = block.getAttribute("data-block");
      var parent = block.parentElement.closest("[data-block]");
      var visible = !parent || shown[parent.getAttribute("data-block")] === true;
      var field = block.getAttribute("data-show-if-field");
      if (visible && field !== null) {
        visible = shown[field] === true &&
          answers(form, field).indexOf(block.getAttribute("data-show-if-value")) !== -1;
      }
      block.hidden = !visible;
      shown[name] = visible;
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-show-if-field]")) { return; }
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
