// Draws a sequence's result charts with the locally served Chart.js (pipelines' vendored copy).
// The table under the charts holds the same numbers for screen readers.
(function () {
  "use strict";
  var source = document.getElementById("sequence-chart");
  if (!source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var colors = { sent: "rgba(90, 79, 224, .35)", replied: "#5a4fe0", positive: "#15803d", bounced: "#c8303f" };
  var base = { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } };

  function draw(id, type, labels, datasets) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    new window.Chart(canvas, { type: type, data: { labels: labels, datasets: datasets }, options: base });
  }

  var v = data.variants;
  draw("chart-variants", "bar", v.labels, [
    { label: "Sent", data: v.sent, backgroundColor: colors.sent },
    { label: "Replied", data: v.replied, backgroundColor: colors.replied },
    { label: "Positive", data: v.positive, backgroundColor: colors.positive },
    { label: "Bounced", data: v.bounced, backgroundColor: colors.bounced },
  ]);
  var d = data.daily;
  draw("chart-daily", "line", d.days.map(function (day) { return day.slice(5); }), [
    { label: "Sent", data: d.sent, borderColor: colors.replied, backgroundColor: colors.sent, fill: true, tension: 0.25, pointRadius: 0 },
    { label: "Replies", data: d.replied, borderColor: colors.positive, backgroundColor: colors.positive, tension: 0.25, pointRadius: 2 },
  ]);
})();
