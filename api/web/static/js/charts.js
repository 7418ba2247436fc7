// The statistics charts: on-time rate per procedure, received vs finished per month, and
// the spread of waiting and working time per step (median to 90th percentile).
(function () {
  "use strict";
  const island = document.getElementById("chart-data");
  if (!island || !window.Chart) {
    return;
  }
  const data = JSON.parse(island.textContent);
  const L = data.labels;
  const blue = "#1d5fa8", teal = "#138a72", amber = "#d08a0b";
  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  window.Chart.defaults.maintainAspectRatio = false;

  new window.Chart(document.getElementById("chart-on-time"), {
    type: "bar",
    data: {
      labels: data.on_time.map(function (r) { return r.label; }),
      datasets: [{ label: L.chart_on_time, backgroundColor: teal,
        data: data.on_time.map(function (r) { return r.rate === null ? null : Math.round(r.rate * 1000) / 10; }) }]
    },
    options: { indexAxis: "y", scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } } },
      plugins: { legend: { display: false } } }
  });

  new window.Chart(document.getElementById("chart-months"), {
    type: "bar",
    data: {
      labels: data.months.map(function (m) { return m.month; }),
      datasets: [
        { label: L.chart_received, backgroundColor: blue, data: data.months.map(function (m) { return m.received; }) },
        { label: L.chart_resolved, backgroundColor: teal, data: data.months.map(function (m) { return m.resolved; }) }
      ]
    },
    options: { scales: { y: { beginAtZero: true } } }
  });

  new window.Chart(document.getElementById("chart-steps"), {
    type: "bar",
    data: {
      labels: data.steps.map(function (s) { return s.label; }),
      datasets: [
        { label: L.chart_waiting, backgroundColor: amber, data: data.steps.map(function (s) { return s.waiting; }) },
        { label: L.chart_working, backgroundColor: blue, data: data.steps.map(function (s) { return s.working; }) }
      ]
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: L.chart_hours } } },
      plugins: { tooltip: { callbacks: { label: function (c) {
        const r = c.raw || [0, 0];
        return c.dataset.label + ": " + (r[0] || 0).toFixed(1) + " – " + (r[1] || 0).toFixed(1) + " " + L.chart_hours;
      } } } } }
  });
})();
