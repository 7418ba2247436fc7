// Two versions side by side: added and changed elements on the new one, removed ones on
// the old one; a row of the change table highlights its element on hover or focus.
(function () {
  "use strict";
  const island = document.getElementById("diff-marks");
  if (!island) {
    return;
  }
  const marks = JSON.parse(island.textContent);
  const viewers = {};
  [["new", "diagram-new"], ["old", "diagram-old"]].forEach(function (pair) {
    const box = document.getElementById(pair[1]);
    window.MotcuaDiagram.open(box).then(function (viewer) {
      if (!viewer) {
        return;
      }
      viewers[pair[0]] = viewer;
      const byKind = marks[pair[0]] || {};
      Object.keys(byKind).forEach(function (id) {
        window.MotcuaDiagram.mark(viewer, [id], "diff-" + byKind[id]);
      });
    });
  });
  document.querySelectorAll("#changes tr[data-element]").forEach(function (row) {
    row.tabIndex = 0;
    const focus = function (on) {
      Object.values(viewers).forEach(function (viewer) {
        const id = row.dataset.element;
        if (viewer.get("elementRegistry").get(id)) {
          if (on) { viewer.get("canvas").addMarker(id, "diff-focus"); }
          else { viewer.get("canvas").removeMarker(id, "diff-focus"); }
        }
      });
    };
    row.addEventListener("mouseenter", function () { focus(true); });
    row.addEventListener("mouseleave", function () { focus(false); });
    row.addEventListener("focus", function () { focus(true); });
    row.addEventListener("blur", function () { focus(false); });
  });
})();
