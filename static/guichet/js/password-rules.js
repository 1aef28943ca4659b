// Progressive enhancement: tick each password rule as it is met and show a short status.
// The server always checks the same rules (AUTH_PASSWORD_VALIDATORS); this is only a guide.
(function () {
  "use strict";
  var lists = document.querySelectorAll(".guichet-password-rules");
  Array.prototype.forEach.call(lists, function (list) {
    var input = document.getElementById(list.getAttribute("data-for"));
    var status = document.getElementById(list.id.replace(/-rules$/, "-status"));
    if (!input) { return; }
    var items = list.querySelectorAll("li[data-check]");
    function passes(item, value) {
      var check = item.getAttribute("data-check");
      var param = item.getAttribute("data-param");
      if (check === "min") { return value.length >= parseInt(param, 10); }
      if (check === "max") { return value.length > 0 && value.length <= parseInt(param, 10); }
      if (check === "re") { return new RegExp(param).test(value); }
      return null; // checked by the server only
    }
    function update() {
      var value = input.value, checked = 0, met = 0;
      Array.prototype.forEach.call(items, function (item) {
        var ok = passes(item, value);
        if (ok === null) { return; }
        checked += 1;
        if (ok) { met += 1; }
        item.classList.toggle("guichet-rule--ok", ok);
        item.setAttribute("data-ok", ok ? "1" : "0");
      });
      if (status) {
        status.textContent = value ? met + " / " + checked + " " + list.getAttribute("data-label-met") : "";
      }
    }
    input.addEventListener("input", update);
    update();
  });
})();
