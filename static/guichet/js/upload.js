/* Progressive enhancement for forms with files (the page works without it):
   - a progress bar while files are sent (XMLHttpRequest upload events);
   - autosave of a draft form (data-autosave) a few seconds after the last change; the
     server's answer says what was saved and which answers still need a correction. */
(function () {
  "use strict";

  function hasFiles(form) {
    return Array.prototype.some.call(form.querySelectorAll('input[type="file"]'), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function sendWithProgress(form, submitter) {
    var progress = form.querySelector("progress.guichet-progress");
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value || "1"); }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { progress.value = Math.round((event.loaded / event.total) * 100); }
    });
    xhr.addEventListener("load", function () {
      // The answer is shown as it came, at its address (after a redirect): loading that
      // address again would lose the one-time messages it carries ("Votre message est
      // envoyé au service.").
      if (xhr.responseURL && xhr.responseURL !== window.location.href && xhr.status < 400) {
        window.history.replaceState(null, "", xhr.responseURL);
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () { form.submit(); });
    progress.hidden = false;
    progress.value = 0;
    xhr.send(data);
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("progress.guichet-progress")) { return; }
    form.addEventListener("submit", function (event) {
      if (!hasFiles(form)) { return; }
      event.preventDefault();
      sendWithProgress(form, event.submitter);
    });
  });

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = document.createElement("p");
    status.className = "fr-hint-text";
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);
    // The address is taken now: once the form is sent with its files, the answer replaces
    // this page and its address (the review page), and a late autosave must never be
    // posted there — the review page's POST files the demande.
    var target = form.action || window.location.href;
    var timer = null;
    function cancel() { clearTimeout(timer); timer = null; }
    form.addEventListener("submit", cancel);
    window.addEventListener("pagehide", cancel);
    form.addEventListener("input", function (event) {
      if (event.target.type === "file") { return; }
      cancel();
      timer = setTimeout(function () {
        if (!form.isConnected) { return; }
        var data = new FormData(form);
        form.querySelectorAll('input[type="file"]').forEach(function (input) { data.delete(input.name); });
        data.append("autosave", "1");
        fetch(target, { method: "POST", body: data, credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) { throw new Error(response.status); }
            return response.json();
          })
          .then(function (report) { status.textContent = report.message; })
          .catch(function () { status.textContent = form.getAttribute("data-autosave-failed"); });
      }, 3000);
    });
  });
})();
