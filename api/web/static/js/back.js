// The error page's "Go back" link: back in the browser's history when there is one (a link
// to the home page otherwise). A script file, as the pages' policy allows no inline script.
(function () {
  "use strict";
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  });
})();
