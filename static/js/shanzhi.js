// Behaviour that used to sit in inline handlers (onclick=...), which the Content-Security-Policy
// (script-src 'self') no longer runs: print buttons, confirmations and "back" links.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-print], [data-back], [data-confirm]");
  if (!target) return;
  if (target.matches("[data-print]")) {
    event.preventDefault();
    window.print();
  } else if (target.matches("[data-back]")) {
    event.preventDefault();
    history.back();
  } else if (!window.confirm(target.dataset.confirm)) {
    event.preventDefault();
  }
});
