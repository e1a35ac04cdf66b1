// Renders every <script type="application/json" data-chart-for="ID"> as an ECharts chart in element ID.
(function () {
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("script[data-chart-for]").forEach(function (node) {
      var el = document.getElementById(node.getAttribute("data-chart-for"));
      if (!el || el.dataset.drawn) return;
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(JSON.parse(node.textContent));
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
  document.addEventListener("htmx:afterSettle", draw);
})();
