// Print the receipt shown in the preview frame (the printable page the engine renders).
(function () {
  "use strict";
  const button = document.getElementById("print-receipt");
  const frame = document.getElementById("receipt-frame");
  if (button && frame) {
    button.addEventListener("click", function () { frame.contentWindow.print(); });
  }
})();
