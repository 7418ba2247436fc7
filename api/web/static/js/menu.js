// The menu button of a narrow screen: it shows and hides the menu (and the account links).
// Without this script the button stays hidden and the menu stays open.
(function () {
  "use strict";
  const top = document.querySelector("header.top");
  const button = top && top.querySelector(".menu-button");
  if (!top || !button) {
    return;
  }
  button.hidden = false;
  top.classList.add("has-menu");
  button.addEventListener("click", function () {
    const open = top.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && top.classList.contains("open")) {
      top.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
