// A dossier's diagram: the steps done and the step(s) waiting now.
(function () {
  "use strict";
  const box = document.getElementById("diagram");
  if (!box) {
    return;
  }
  window.MotcuaDiagram.open(box).then(function (viewer) {
    if (!viewer) {
      return;
    }
    const split = function (text) { return (text || "").split(" ").filter(Boolean); };
    window.MotcuaDiagram.mark(viewer, split(box.dataset.done), "m-done");
    window.MotcuaDiagram.mark(viewer, split(box.dataset.current), "m-current");
  });
})();
