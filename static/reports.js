// The reports' charts: each <figure data-chart> drawn with uPlot from the data the server wrote into it (this period
// and the one before), as bars per row or a line per hour. No inline script or style: the strict CSP holds.
(() => {
  const NOW = "#14532d";
  const BEFORE = "#94a3b8";

  function draw(figure) {
    const chart = JSON.parse(figure.dataset.chart);
    if (!chart.labels.length) return;
    const xs = chart.labels.map((_, i) => i);
    const bars = chart.kind === "bars";
    const barPaths = bars && uPlot.paths.bars ? (offset) => uPlot.paths.bars({ size: [0.4, 48], align: offset }) : null;
    const series = (label, stroke, offset) => ({
      label,
      stroke,
      fill: bars ? stroke : undefined,
      width: bars ? 0 : 2,
      paths: barPaths ? barPaths(offset) : undefined,
      points: { show: !bars },
      value: (_u, v) => (v == null ? "—" : v.toFixed(2)),
    });
    const width = () => Math.max(280, figure.clientWidth);
    const opts = {
      width: width(),
      height: 240,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] } },
      axes: [
        {
          values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (chart.labels[t] ?? "").slice(0, 14) : "")),
          splits: () => xs,
          rotate: bars && chart.labels.length > 6 ? -30 : 0,
          size: bars && chart.labels.length > 6 ? 70 : 40,
        },
        { size: 60 },
      ],
      series: [
        { label: bars ? "Row" : "Hour", value: (_u, i) => (i == null ? "" : (chart.labels[i] ?? "")) },
        series("This period", NOW, -1),
        series("Period before", BEFORE, 1),
      ],
    };
    const plot = new uPlot(opts, [xs, chart.now, chart.before], figure);
    figure.classList.add("drawn");
    window.addEventListener("resize", () => plot.setSize({ width: width(), height: 240 }));
  }

  const start = () => {
    for (const figure of document.querySelectorAll("figure[data-chart]")) draw(figure);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
