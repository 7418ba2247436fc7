// The statistics filters: a preset period fills the dates it stands for, and typing dates
// makes the period a free range (the page takes a preset over dates); the consolidation box
// shows only for a unit with units below it that the reader reads.
(function () {
  "use strict";
  const period = document.getElementById("period");
  const from = document.getElementById("date_from");
  const to = document.getElementById("date_to");
  if (period && from && to) {
    period.addEventListener("change", function () {
      const chosen = period.options[period.selectedIndex];
      if (chosen && chosen.dataset.from) {
        from.value = chosen.dataset.from;
        to.value = chosen.dataset.to;
      }
    });
    [from, to].forEach(function (input) {
      input.addEventListener("change", function () { period.value = ""; });
    });
  }
  const unit = document.getElementById("unit");
  const choice = document.getElementById("consolidate-choice");
  if (unit && choice) {
    unit.addEventListener("change", function () {
      const chosen = unit.options[unit.selectedIndex];
      const below = !!chosen && chosen.dataset.consolidates === "true";
      choice.hidden = !below;
      if (!below) {
        choice.querySelector("input").checked = false;
      }
    });
  }
})();
