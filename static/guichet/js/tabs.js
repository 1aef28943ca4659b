// DSFR tabs whose tabs are links to ?onglet=… (they work without JavaScript). Once the DSFR
// script runs, it switches the panels in place, by click or with the arrow keys: the link is
// not followed, and the address follows the selected tab so that reloading or sharing the
// page keeps it. The tab selected when the page loads leaves the address as it is.
(function () {
  "use strict";
  var tabs = document.querySelectorAll("a.fr-tabs__tab[data-guichet-tab]");
  var current = document.querySelector('a.fr-tabs__tab[data-guichet-tab][aria-selected="true"]');
  var observer = new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      var tab = change.target;
      if (tab.getAttribute("aria-selected") !== "true" || tab === current) { return; }
      current = tab;
      var url = new URL(window.location.href);
      url.searchParams.set("onglet", tab.getAttribute("data-guichet-tab"));
      url.hash = "";
      window.history.replaceState(null, "", url);
    });
  });
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function (event) {
      if (document.documentElement.hasAttribute("data-fr-js")) { event.preventDefault(); }
    });
    observer.observe(tab, { attributes: true, attributeFilter: ["aria-selected"] });
  });
})();
