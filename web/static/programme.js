// The programme page: the server has rendered every figure and table; this draws each chart
// from the same numbers (the JSON in #charts) and offers the chart as a PNG image.
(function () {
  "use strict";

  const lang = document.documentElement.lang === "th" ? "th" : "en";
  const locale = lang === "th" ? "th-TH" : "en-GB";
  const number = (value) => Number(value).toLocaleString(locale, { maximumFractionDigits: 2 });
  const font = "'Noto Sans Thai', 'Sarabun', 'Garuda', 'Loma', system-ui, sans-serif";
  const charts = Object.fromEntries(
    JSON.parse(document.getElementById("charts").textContent).map((c) => [c.id, c])
  );
  // Thai has no spaces between words: break lines only between the words the browser finds.
  const words = new Intl.Segmenter(lang, { granularity: "word" });

  function wrap(text, fits) {
    const lines = [];
    let line = "";
    for (const { segment, isWordLike } of words.segment(text)) {
      // Punctuation stays with the word before it: no line starts with ")" or ",".
      const punctuation = !isWordLike && segment.trim() !== "";
      if (line && !punctuation && !fits(line + segment)) {
        lines.push(line.trimEnd());
        line = segment.trimStart();
      } else {
        line += segment;
      }
    }
    if (line) lines.push(line.trimEnd());
    return lines;
  }

  // A category label as lines of at most `chars` characters, so that no name is cut off.
  const labelLines = (label, chars) => {
    const lines = wrap(label, (candidate) => candidate.length <= chars);
    return lines.length > 1 ? lines : label;
  };

  function draw(card, chart) {
    const box = card.querySelector("[data-chart-box]");
    box.hidden = false;
    const width = box.clientWidth;
    const chars = chart.horizontal
      ? Math.max(12, Math.floor(width / 18))
      : Math.max(8, Math.floor(width / chart.labels.length / 7.5));
    const labels = chart.labels.map((label) => labelLines(label, chars));
    if (chart.horizontal) {
      // Chart.js leaves out names that do not fit, and gives every bar the room of the
      // tallest name: make that room for each, however many lines it takes.
      const lines = Math.max(...labels.map((label) => (Array.isArray(label) ? label.length : 1)));
      box.style.height = `${Math.max(288, 110 + labels.length * (lines * 16 + 12))}px`;
    }
    const value = { title: { display: true, text: chart.horizontal ? chart.xTitle : chart.yTitle } };
    const category = { title: { display: true, text: chart.horizontal ? chart.yTitle : chart.xTitle } };
    const valueAxis = {
      ...value,
      beginAtZero: true,
      ...(chart.max === null ? {} : { max: chart.max }),
      ticks: { callback: (tick) => number(tick) },
    };
    return new Chart(card.querySelector("[data-canvas]"), {
      type: "bar",
      data: {
        labels,
        datasets: chart.series.map((s) => ({
          label: s.label,
          data: s.values,
          backgroundColor: s.colour,
        })),
      },
      options: {
        indexAxis: chart.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        locale,
        plugins: {
          legend: { display: chart.series.length > 1 },
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${number(item.raw)}` },
          },
        },
        scales: chart.horizontal ? { x: valueAxis, y: category } : { x: category, y: valueAxis },
      },
    });
  }

  // The chart as an image to publish: white behind it, its title above, sources and date below.
  function png(chart, drawn) {
    const source = drawn.canvas;
    const scale = source.width / source.clientWidth;
    const pad = 16 * scale;
    const out = document.createElement("canvas");
    const context = out.getContext("2d");
    out.width = source.width + 2 * pad;
    const textWidth = out.width - 2 * pad;
    const fits = (candidate) => context.measureText(candidate).width <= textWidth;
    const titleFont = `bold ${18 * scale}px ${font}`;
    const noteFont = `${12 * scale}px ${font}`;
    context.font = titleFont;
    const titleLines = wrap(chart.title, fits);
    context.font = noteFont;
    const noteLines = wrap(chart.sourceLine, fits);
    const titleHeight = titleLines.length * 24 * scale;
    out.height = pad + titleHeight + pad / 2 + source.height + pad / 2 + noteLines.length * 16 * scale + pad;

    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, out.width, out.height);
    context.fillStyle = "#1d2733";
    context.textBaseline = "top";
    context.font = titleFont;
    titleLines.forEach((line, i) => context.fillText(line, pad, pad + i * 24 * scale));
    const top = pad + titleHeight + pad / 2;
    context.drawImage(source, pad, top);
    context.fillStyle = "#5b6773";
    context.font = noteFont;
    noteLines.forEach((line, i) =>
      context.fillText(line, pad, top + source.height + pad / 2 + i * 16 * scale)
    );

    const link = document.createElement("a");
    link.href = out.toDataURL("image/png");
    link.download = `smartcity-${chart.id}-${lang}.png`;
    link.click();
  }

  Chart.defaults.font.family = font;
  Chart.defaults.font.lineHeight = 1.5; // room for Thai vowels and tone marks above and below
  document.querySelectorAll("[data-chart]").forEach((card) => {
    const chart = charts[card.dataset.chart];
    try {
      const drawn = draw(card, chart);
      const button = card.querySelector("[data-png]");
      button.hidden = false;
      button.addEventListener("click", () => png(chart, drawn));
      card.dataset.ready = "true";
    } catch (error) {
      // The table above still holds every number; only the picture is missing.
      card.dataset.ready = "error";
      card.querySelector("[data-chart-box]").hidden = true;
      console.error(error);
    }
  });
})();
