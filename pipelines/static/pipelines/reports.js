// Draws the report charts with the locally served Chart.js; the tables under each chart hold
// the same numbers for screen readers and for people who prefer numbers.
(function () {
  "use strict";
  var source = document.getElementById("pl-charts");
  if (!source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var accent = "#5a4fe0", soft = "rgba(90, 79, 224, .35)", teal = "#0d9488";

  function bar(id, labels, datasets, options) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, animation: false, plugins: { legend: { display: datasets.length > 1 } } }, options || {}),
    });
  }

  var money = new Intl.NumberFormat(navigator.language, { style: "currency", currency: data.currency, maximumFractionDigits: 0 });
  bar("chart-value", data.value.labels, [
    { label: "Total", data: data.value.total, backgroundColor: soft },
    { label: "Weighted", data: data.value.weighted, backgroundColor: accent },
  ], { scales: { y: { ticks: { callback: function (v) { return money.format(v); } } } } });
  bar("chart-conversion", data.conversion.labels, [
    { label: "Conversion %", data: data.conversion.rate, backgroundColor: accent },
  ], { scales: { y: { min: 0, max: 100 } } });
  bar("chart-time", data.time.labels, [
    { label: "Median days", data: data.time.days, backgroundColor: teal },
  ]);
  bar("chart-referrals", data.referrals.labels, [
    { label: "Referrals", data: data.referrals.count, backgroundColor: accent },
  ], { indexAxis: "y" });
})();
