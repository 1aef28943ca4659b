// Upload progress: the form works without this script; with it, the bytes sent are shown.
(function () {
  "use strict";
  if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser) return;

  function arm() {
    var form = document.querySelector("form[data-progress]");
    if (!form) return;
    var box = document.getElementById(form.getAttribute("data-progress"));
    var bar = box.querySelector("progress");
    var text = box.querySelector("[aria-live]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        text.textContent = percent + " %";
      });
      request.addEventListener("load", function () {
        var here = window.location.href.split("#")[0];
        if (request.responseURL && request.responseURL.split("#")[0] !== here) {
          // Accepted: the server redirected to the list, which carries the one-time
          // confirmation ("1 document ajouté…"). Show that answer at its address; loading
          // the address again would lose the confirmation.
          window.history.replaceState(null, "", request.responseURL);
          document.open();
          document.write(request.responseText);
          document.close();
          return;
        }
        // Refusals: show the server's answer (reasons, kept answers) in place.
        var page = new DOMParser().parseFromString(request.responseText, "text/html");
        var main = page.getElementById("contenu");
        if (!main) { form.submit(); return; }
        document.getElementById("contenu").innerHTML = main.innerHTML;
        var alert = document.getElementById("refus") || document.getElementById("erreurs");
        if (alert) alert.focus();
        arm();
      });
      request.addEventListener("error", function () { form.submit(); });
      box.hidden = false;
      bar.value = 0;
      text.textContent = "0 %";
      request.send(new FormData(form));
    });
  }

  arm();
})();
