// Opens the FAQ answer named in the address (#anchor), so a link can point at one answer.
// Runs before the DSFR script initialises: the accordion then starts expanded. After that,
// a change of anchor is handled through the DSFR API.
(function () {
  function target() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var section = id && document.getElementById(id);
    return section && section.classList.contains("fr-accordion") ? section : null;
  }
  function open(section) {
    var button = section.querySelector(".fr-accordion__btn");
    var collapse = document.getElementById(button.getAttribute("aria-controls"));
    if (window.dsfr && collapse) {
      window.dsfr(collapse).collapse.disclose();
    } else {
      button.setAttribute("aria-expanded", "true");
    }
    section.scrollIntoView();
  }
  var initial = target();
  if (initial) {
    initial.querySelector(".fr-accordion__btn").setAttribute("aria-expanded", "true");
  }
  window.addEventListener("hashchange", function () {
    var section = target();
    if (section) open(section);
  });
})();
