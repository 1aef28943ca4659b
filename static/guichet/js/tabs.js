// DSFR tabs whose tabs are links to ?onglet=… (they work without JavaScript). Once the DSFR
// script runs, it switches the panels in place: the link is not followed, and the address
// is updated so that reloading or sharing the page keeps the same tab.
(function () {
  "use strict";
  document.querySelectorAll("a.fr-tabs__tab[data-guichet-tab]").forEach(function (tab) {
    tab.addEventListener("click", function (event) {
      if (!document.documentElement.hasAttribute("data-fr-js")) { return; }
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("onglet", tab.getAttribute("data-guichet-tab"));
      url.hash = "";
      window.history.replaceState(null, "", url);
    });
  });
})();
