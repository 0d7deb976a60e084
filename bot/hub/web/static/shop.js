/* Demo shop page: "Kontakt" opens the chat widget (a file, not an onclick attribute: the CSP allows no inline script). */
document.getElementById('contact-link').addEventListener('click', (event) => {
  event.preventDefault();
  if (window.KundendialogWidget) window.KundendialogWidget.open();
});
