/* Charts of the leader dashboards: Apache ECharts (static/vendor/echarts), Chinese locale, SVG
 * renderer so that printing stays sharp. Data comes from the page's json_script "dashboard-charts".
 * Runs on load and again after htmx swaps the big screen's body. */
(function () {
  "use strict";
  var charts = [];

  var LIGHT = ["#b71c1c", "#1d4ed8", "#1b7f3b", "#b7791f"];
  // On the big screen's navy: colours bright enough to read from the back of the room.
  var DARK = ["#ff6b6b", "#69b1ff", "#95de64", "#ffc53d"];

  function peak(series) {
    return series.data.reduce(function (m, v) { return Math.max(m, Math.abs(Number(v)) || 0); }, 0);
  }

  /* Lines whose scale is far from the bars' (activities held vs people taking part) get an axis
   * of their own on the right, or the bars would be flat on the floor. */
  function ownAxis(chart) {
    var first = peak(chart.series[0] || { data: [] });
    return chart.series.map(function (s, i) {
      var p = peak(s);
      return i > 0 && p > 0 && first > 0 && (p / first > 5 || first / p > 5);
    });
  }

  function draw() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var dark = document.body.classList.contains("screen");
    var palette = dark ? DARK : LIGHT;
    var size = dark ? Math.max(12, Math.round(window.innerWidth / 130)) : 11;
    data.forEach(function (chart) {
      var el = document.getElementById(chart.id);
      if (!el) return;
      var right = ownAxis(chart);
      var twoAxes = right.some(Boolean);
      var axis = function (i) {
        return { type: "value", minInterval: 1, position: i ? "right" : "left",
                 splitLine: { show: !i },
                 axisLabel: { fontSize: size, color: twoAxes ? palette[i ? right.indexOf(true) : 0] : undefined } };
      };
      var instance = window.echarts.init(el, dark ? "dark" : null, { renderer: "svg", locale: "ZH" });
      // Drawn to the end (animation included): what the browser journeys wait for.
      instance.on("finished", function () { el.setAttribute("data-drawn", ""); });
      instance.setOption({
        backgroundColor: "transparent",
        animation: !window.matchMedia("print").matches,
        color: palette,
        tooltip: { trigger: "axis" },
        legend: { top: 0, textStyle: { fontSize: dark ? size + 2 : 12 } },
        grid: { left: 8, right: 8, top: dark ? size * 2.6 : 36, bottom: 4, containLabel: true },
        xAxis: { type: "category", data: chart.labels, axisLabel: { fontSize: size } },
        yAxis: twoAxes ? [axis(0), axis(1)] : axis(0),
        series: chart.series.map(function (s, i) {
          return { name: s.name, type: i === 0 ? "bar" : "line", data: s.data, smooth: false,
                   yAxisIndex: right[i] ? 1 : 0, barMaxWidth: 28, label: { show: false } };
        })
      });
      charts.push(instance);
    });
  }

  function resize() { charts.forEach(function (c) { c.resize(); }); }

  document.addEventListener("DOMContentLoaded", draw);
  // Only a swap that brought charts (the big screen's body), not the inbox badge's refresh.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.querySelector && event.target.querySelector(".chart")) draw();
  });
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
  // Printing to PDF (and emulated print media) switches the media without a beforeprint event.
  var print = window.matchMedia("print");
  if (print.addEventListener) print.addEventListener("change", resize);
})();
