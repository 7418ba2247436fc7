// The leader's dashboard charts: how the month's dossiers stand, the active steps of each
// department, and what each person holds. The figures come from the page's JSON island.
(function () {
  "use strict";
  const island = document.getElementById("chart-data");
  if (!island || !window.Chart) {
    return;
  }
  const data = JSON.parse(island.textContent);
  const L = data.labels;
  const blue = "#1d5fa8", teal = "#138a72", green = "#5b9a3c", amber = "#d08a0b", red = "#b3261e";
  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  window.Chart.defaults.maintainAspectRatio = false;
  const charts = [];
  // Department names are long: break them into lines of about 30 characters.
  function lines(text) {
    const out = [];
    let line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 30) {
        out.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) {
      out.push(line);
    }
    return out;
  }

  charts.push(new window.Chart(document.getElementById("chart-outcomes"), {
    type: "doughnut",
    data: {
      labels: [L.dash_early, L.dash_on_time, L.dash_late, L.dash_pending_within, L.dash_overdue],
      datasets: [{ data: data.outcomes, backgroundColor: [green, teal, red, blue, amber] }]
    }
  }));

  charts.push(new window.Chart(document.getElementById("chart-departments"), {
    type: "bar",
    data: {
      labels: data.departments.map(function (d) { return lines(d.label); }),
      datasets: [
        { label: L.dash_open, backgroundColor: blue, data: data.departments.map(function (d) { return d.open; }) },
        { label: L.dash_claimed, backgroundColor: teal, data: data.departments.map(function (d) { return d.claimed; }) },
        { label: L.dash_overdue, backgroundColor: red, data: data.departments.map(function (d) { return d.overdue; }) }
      ]
    },
    options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: L.dash_steps } } } }
  }));

  charts.push(new window.Chart(document.getElementById("chart-people"), {
    type: "bar",
    data: {
      labels: data.people.map(function (p) { return p.label; }),
      datasets: [
        { label: L.dash_claimed, backgroundColor: teal, data: data.people.map(function (p) { return p.claimed; }) },
        { label: L.dash_overdue, backgroundColor: red, data: data.people.map(function (p) { return p.overdue; }) }
      ]
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: L.dash_steps } } } }
  }));
  document.body.dataset.charts = String(charts.length);
})();
