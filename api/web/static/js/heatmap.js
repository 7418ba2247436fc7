// "Where time goes": each step coloured by its median time (waiting + working) relative to
// the slowest step, ringed when often late, with the figures in an overlay.
(function () {
  "use strict";
  const box = document.getElementById("heatmap");
  const island = document.getElementById("heat-data");
  if (!box || !island) {
    return;
  }
  const data = JSON.parse(island.textContent);
  const lang = document.documentElement.lang || "vi";
  const fmt = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 });
  const pct = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", { style: "percent", maximumFractionDigits: 0 });

  window.MotcuaDiagram.open(box).then(function (viewer) {
    if (!viewer) {
      return;
    }
    const registry = viewer.get("elementRegistry");
    const canvas = viewer.get("canvas");
    const overlays = viewer.get("overlays");
    const steps = data.steps || {};
    const medians = Object.values(steps).map(function (s) { return s.median || 0; });
    const slowest = Math.max.apply(null, medians.concat([0.0001]));
    Object.keys(steps).forEach(function (id) {
      const step = steps[id];
      const element = registry.get(id);
      if (!element) {
        return;
      }
      const level = Math.min(4, Math.floor(((step.median || 0) / slowest) * 4.999));
      canvas.addMarker(id, "heat-" + level);
      if ((step.late_share || 0) >= 0.1) {
        canvas.addMarker(id, "heat-late");
      }
      const label = document.createElement("div");
      label.className = "heat-label";
      label.textContent = "⌀ " + fmt.format(step.median || 0) + " " + data.labels.unit_h +
        " · " + pct.format(step.late_share || 0) + " " + data.labels.heat_late;
      label.title = data.labels.heat_count + ": " + step.count;
      overlays.add(id, "heat", { position: { bottom: -4, left: -10 }, html: label });
    });
  });
})();
