// The menu's groups are <details> dropdowns: opening one closes the others, and a click
// outside the menu or Escape closes it. Without this script they still open and close.
(function () {
  "use strict";
  function groups() {
    return document.querySelectorAll(".mainnav details.navgroup");
  }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("details.navgroup") || !opened.open) return;
    groups().forEach(function (group) {
      if (group !== opened) group.open = false;
    });
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".mainnav")) return;
    groups().forEach(function (group) { group.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") groups().forEach(function (group) { group.open = false; });
  });
})();
