// Items marked data-print hold a button that opens the browser's print dialog; they stay
// hidden without JavaScript.
document.querySelectorAll("[data-print]").forEach((item) => {
  item.hidden = false;
  item.querySelector("button").addEventListener("click", () => window.print());
});
