// Buttons marked data-print open the browser's print dialog; hidden without JavaScript.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
