/*
 * Wagtail's admin starts its date pickers, inline panels and page choosers with inline
 * scripts, which our Content-Security-Policy blocks. Our template overrides
 * (templates/wagtailadmin/) and widgets (cms/widgets.py) leave
 * the arguments of each call in a non-executable JSON element instead; this file makes the
 * same calls, for the page as loaded and for content added later (modals, new panel
 * children). Only the calls listed here can be made. See docs/adr/0203-wagtail-admin-csp.md.
 */
(() => {
  "use strict";

  const SELECTOR = "script[type='application/json'][data-guichet-admin-init]";
  const CALLS = {
    initDateChooser: ([id, config]) => window.initDateChooser(id, JSON.parse(config)),
    initTimeChooser: ([id, config]) => window.initTimeChooser(id, JSON.parse(config)),
    initDateTimeChooser: ([id, config]) => window.initDateTimeChooser(id, JSON.parse(config)),
    InlinePanel: ([options]) => new window.InlinePanel(JSON.parse(options)),
    MultipleChooserPanel: ([options]) => new window.MultipleChooserPanel(JSON.parse(options)),
    PageChooser: ([id, options]) => new window.PageChooser(id, JSON.parse(options)),
  };

  function start(element) {
    const call = CALLS[element.dataset.guichetAdminInit];
    if (!call || element.dataset.guichetAdminStarted) return;
    element.dataset.guichetAdminStarted = "true";
    call(JSON.parse(element.textContent));
  }

  function startWithin(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches(SELECTOR)) start(node);
    node.querySelectorAll(SELECTOR).forEach(start);
  }

  function startAll() {
    startWithin(document.documentElement);
    new MutationObserver((mutations) => {
      mutations.forEach((mutation) => mutation.addedNodes.forEach(startWithin));
    }).observe(document.documentElement, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
