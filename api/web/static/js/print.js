// Print the receipt shown in the preview frame. The frame is sandboxed without scripts (it
// shows a document with what applicants typed), so Chromium refuses a print() called on it:
// the page prints itself, with a print style that shows the frame alone, as tall as the
// receipt (read through allow-same-origin; nothing runs inside the frame).
(function () {
  "use strict";
  const button = document.getElementById("print-receipt");
  const frame = document.getElementById("receipt-frame");
  if (!button || !frame) {
    return;
  }
  function done() {
    document.body.classList.remove("printing-receipt");
    frame.style.height = "";
  }
  button.addEventListener("click", function () {
    const receipt = frame.contentDocument;
    if (receipt && receipt.documentElement) {
      frame.style.height = receipt.documentElement.scrollHeight + "px";
    }
    document.body.classList.add("printing-receipt");
    window.addEventListener("afterprint", done, { once: true });
    window.print();
  });
})();
