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

// In a form with a <select name="kind">, shows the fields marked data-for-kind="K" only while K is chosen (without
// JavaScript every field stays visible; its label says which kind it is for).
(function () {
  function sync(select) {
    select.form.querySelectorAll("[data-for-kind]").forEach(function (field) {
      field.hidden = field.getAttribute("data-for-kind") !== select.value;
    });
  }
  function setUp() {
    document.querySelectorAll("form select[name=kind]").forEach(function (select) {
      sync(select);
      select.addEventListener("change", function () { sync(select); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp); else setUp();
})();
