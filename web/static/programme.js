// The programme page: each card fetches its query from /graphql and draws a chart of the
// answer, with its sources, the date of the data, and the numbers in a table.
(function () {
  "use strict";

  const lang = document.documentElement.lang === "th" ? "th" : "en";
  const t = (en, th) => (lang === "th" ? th : en);
  const locale = lang === "th" ? "th-TH" : "en-GB";
  const number = (value, digits = 2) =>
    Number(value).toLocaleString(locale, { maximumFractionDigits: digits });
  const millions = (amount) => number(Number(amount) / 1e6, 2);
  const name = (record, th = "nameTh", en = "nameEn") =>
    (lang === "th" ? record[th] ?? record[en] : record[en] ?? record[th]) ?? "";
  const colours = { target: "#b8c4ce", actual: "#0b6e4f", bar: "#1f5f8b" };

  const charts = Object.fromEntries(
    JSON.parse(document.getElementById("charts").textContent).map((c) => [c.id, c])
  );

  async function ask(query) {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query }),
    });
    const body = await response.json();
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
    return body.data;
  }

  // Footnotes: each source once, linked where it has an address, with its title and date.
  function footnotes(sources) {
    const seen = new Map();
    sources.forEach((s) => seen.set(s.url ?? `${s.publisher}|${s.title}`, s));
    return [...seen.values()].map((s) => {
      const label = [s.publisher, s.title].filter(Boolean).join(": ") || s.url;
      const item = document.createElement(s.url ? "a" : "span");
      if (s.url) {
        item.href = s.url;
        item.rel = "noopener";
      }
      item.textContent = s.publishedOn ? `${label} (${s.publishedOn})` : label;
      return item;
    });
  }

  function fill(card, { headline, rows, header, sources, asOf, note }) {
    card.querySelector("[data-headline]").textContent = headline ?? "";
    const table = card.querySelector("[data-table]");
    table.replaceChildren();
    const head = table.createTHead().insertRow();
    header.forEach((label) => {
      const cell = document.createElement("th");
      cell.textContent = label;
      head.appendChild(cell);
    });
    const body = table.createTBody();
    rows.forEach((row) => {
      const tr = body.insertRow();
      row.forEach((value) => (tr.insertCell().textContent = value ?? "–"));
    });
    const cited = card.querySelector("[data-source]");
    cited.replaceChildren();
    const notes = footnotes(sources);
    if (notes.length) {
      cited.append(`${t("Sources", "ที่มา")}: `);
      notes.forEach((item, i) => cited.append(...(i ? ["; ", item] : [item])));
      cited.append(". ");
    }
    if (note) cited.append(note);
    card.querySelector("[data-as-of]").textContent = asOf
      ? `${t("Data as of", "ข้อมูล ณ")} ${asOf}.`
      : "";
  }

  function draw(card, type, labels, datasets, options = {}) {
    new Chart(card.querySelector("[data-canvas]"), {
      type,
      data: { labels, datasets },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        ...options,
      },
    });
  }

  const render = {
    async targets(card, data) {
      const { phases, certification } = data.programme;
      const years = (p) => [p.startYear, p.endYear].filter((y, i, all) => y && all.indexOf(y) === i).join("–");
      const label = (p) => `${name(p) || p.key} (${years(p)})`;
      const reportedBy = (p) => (p.certification.reportedAreas ? Number(p.certification.reportedAreas.value) : null);
      draw(card, "bar", phases.map(label), [
        { label: t("Target areas", "เป้าหมาย (พื้นที่)"), data: phases.map((p) => p.targetAreas), backgroundColor: colours.target },
        { label: t("Certified, as the programme reported by then", "ได้รับการรับรอง ตามที่โครงการรายงาน"), data: phases.map(reportedBy), backgroundColor: colours.actual },
      ], {
        scales: {
          x: { title: { display: true, text: t("Phase", "ระยะ") } },
          y: { beginAtZero: true, title: { display: true, text: t("Smart-city areas", "จำนวนพื้นที่") } },
        },
      });
      const reported = certification.reportedAreas;
      const provinces = certification.reportedProvinces;
      const status = (p) =>
        p.certification.begun
          ? p.certification.reportedAreas
            ? `${number(p.certification.reportedAreas.value)} (${p.certification.reportedAreas.asOf})`
            : t("not reported", "ไม่มีรายงาน")
          : t("before certification began", "ก่อนเริ่มการรับรอง");
      fill(card, {
        headline: reported
          ? t(
              `The programme reported ${number(reported.value)} certified areas as of ${reported.asOf}` +
                (provinces ? `, in ${number(provinces.value)} provinces as of ${provinces.asOf}.` : ".") +
                ` ${certification.namedAreas} of them are named in this data.`,
              `โครงการรายงานพื้นที่ที่ได้รับการรับรอง ${number(reported.value)} พื้นที่ ณ ${reported.asOf}` +
                (provinces ? ` ใน ${number(provinces.value)} จังหวัด ณ ${provinces.asOf}` : "") +
                ` ข้อมูลนี้ระบุชื่อได้ ${certification.namedAreas} พื้นที่`
            )
          : "",
        header: [
          t("Phase", "ระยะ"),
          t("Target areas", "เป้าหมาย (พื้นที่)"),
          t("Certified, reported (as of)", "รับรองแล้วตามรายงาน (ณ วันที่)"),
          t("Named here", "ระบุชื่อในข้อมูลนี้"),
          t("Areas to target", "พื้นที่ที่ยังขาด"),
          t("Target provinces", "เป้าหมาย (จังหวัด)"),
          t("Provinces to target", "จังหวัดที่ยังขาด"),
        ],
        rows: phases.map((p) => [
          label(p),
          p.targetAreas,
          status(p),
          p.certification.namedAreas,
          p.areasToTarget,
          p.targetProvinces,
          p.provincesToTarget,
        ]),
        sources: [...(reported ? reported.sources : []), ...(provinces ? provinces.sources : []), ...phases.flatMap((p) => p.sources)],
        asOf: reported ? reported.asOf : data.citySummary.asOf,
        note: t(
          "Gaps to each target are counted from the programme's own reported count; the areas named here are fewer, as not every certified area has been identified.",
          "ส่วนที่ยังขาดคำนวณจากจำนวนที่โครงการรายงาน พื้นที่ที่ระบุชื่อในข้อมูลนี้มีน้อยกว่า เพราะยังระบุพื้นที่ที่ได้รับการรับรองไม่ครบทุกแห่ง"
        ),
      });
    },

    async progress(card, data) {
      const entries = data.cityRanking.entries;
      draw(card, "bar", entries.map((e) => name(e.city)), [
        { label: t("Percent complete", "ร้อยละความคืบหน้า"), data: entries.map((e) => Number(e.observation.value)), backgroundColor: colours.bar },
      ], { indexAxis: "y", scales: { x: { min: 0, max: 100 } } });
      const overall = data.programme.figures.at(-1);
      fill(card, {
        headline: overall
          ? t(`Programme-wide: ${number(overall.value)}% complete (${overall.asOf}).`, `ภาพรวมทั้งโครงการ: คืบหน้าร้อยละ ${number(overall.value)} (${overall.asOf})`)
          : "",
        header: [t("Rank", "อันดับ"), t("Area", "พื้นที่"), t("Percent", "ร้อยละ"), t("As of", "ณ วันที่")],
        rows: entries.map((e) => [e.rank, name(e.city), number(e.observation.value), e.observation.asOf]),
        sources: [...entries.flatMap((e) => e.observation.sources), ...(overall ? overall.sources : [])],
        asOf: entries.map((e) => e.observation.asOf).sort().at(-1),
        note: t(
          `${data.cityRanking.totalCount} areas have a dated progress figure.`,
          `มี ${data.cityRanking.totalCount} พื้นที่ที่มีตัวเลขความคืบหน้า`
        ),
      });
    },

    async investment(card, data) {
      const summary = data.investmentSummary;
      const label = (g) => (g.key === null ? t("No dimension named", "ไม่ระบุมิติ") : lang === "th" ? g.th : g.label);
      draw(card, "bar", summary.groups.map(label), [
        { label: t("Million baht", "ล้านบาท"), data: summary.groups.map((g) => Number(g.total.amount) / 1e6), backgroundColor: colours.actual },
      ]);
      const total = data.programme.figures.at(-1);
      fill(card, {
        headline: total
          ? t(`Programme-wide investment reported: ${millions(total.value)} million baht (${total.asOf}).`, `เงินลงทุนทั้งโครงการที่รายงาน: ${millions(total.value)} ล้านบาท (${total.asOf})`)
          : "",
        header: [t("Dimension", "มิติ"), t("Investments", "รายการ"), t("Million baht", "ล้านบาท")],
        rows: summary.groups.map((g) => [label(g), g.count, millions(g.total.amount)]),
        sources: total ? total.sources : [],
        asOf: summary.asOf,
        note: t(
          `The bars sum ${summary.count} actual investments recorded per area (${millions(summary.total.amount)} million baht); money serving several dimensions counts in each.`,
          `แท่งกราฟรวมเงินลงทุนจริง ${summary.count} รายการที่บันทึกรายพื้นที่ (${millions(summary.total.amount)} ล้านบาท) เงินที่ใช้หลายมิติจะนับในทุกมิติ`
        ),
      });
    },

    async regions(card, data) {
      const summary = data.citySummary;
      const label = (g) => (lang === "th" ? g.th : g.label) ?? g.key;
      draw(card, "bar", summary.groups.map(label), [
        { label: t("Areas", "พื้นที่"), data: summary.groups.map((g) => g.count), backgroundColor: colours.bar },
      ]);
      fill(card, {
        headline: t(`${summary.count} areas in the programme are recorded here.`, `มี ${summary.count} พื้นที่ในข้อมูลนี้`),
        header: [t("Region", "ภาค"), t("Areas", "พื้นที่")],
        rows: summary.groups.map((g) => [label(g), g.count]),
        sources: [],
        asOf: summary.asOf,
        note: t("Counted from the areas' records; each area cites its sources.", "นับจากข้อมูลรายพื้นที่ ซึ่งระบุแหล่งที่มาของแต่ละพื้นที่"),
      });
    },
  };

  Chart.defaults.font.family = "'Noto Sans Thai', 'Sarabun', 'Garuda', 'Loma', system-ui, sans-serif";
  document.querySelectorAll("[data-chart]").forEach(async (card) => {
    const id = card.dataset.chart;
    try {
      await render[id](card, await ask(charts[id].query));
      card.dataset.ready = "true";
    } catch (error) {
      card.dataset.ready = "error";
      card.querySelector("[data-headline]").textContent = t("Could not load: ", "โหลดไม่สำเร็จ: ") + error.message;
    }
  });
})();
