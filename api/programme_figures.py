"""The programme page's figures, from the answers to its charts' GraphQL queries
(`api.questions.CHARTS`): for each chart a table (the numbers, with units), a headline, its
sources and date, and what the chart draws, in the reader's language.

The server renders the tables (so the page reads without JavaScript, in print and to search
engines), the CSV downloads write the same cells, and the charts draw the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from api.localised import BUDDHIST_ERA, RANGE, Words, plain

Data = dict[str, Any]
MILLION = Decimal(1_000_000)
NO_FIGURE = "\u2013"  # what the table shows where there is no figure (a dash)
COLOURS = {"target": "#b8c4ce", "actual": "#0b6e4f", "bar": "#1f5f8b"}


@dataclass(frozen=True)
class Cell:
    """A table cell: as the page shows it, and as a CSV holds it (a plain number or an ISO
    date where the text is formatted)."""

    text: str
    value: str

    @classmethod
    def of(cls, text: str) -> Cell:
        return cls(text, text)


@dataclass(frozen=True)
class Column:
    label: str
    unit: str | None = None
    numeric: bool = False

    @property
    def heading(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass(frozen=True)
class Cited:
    """A source as the page cites it: linked where it has an address."""

    title: str | None
    publisher: str | None
    url: str | None
    published: str | None  # formatted for the reader


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]
    colour: str


@dataclass(frozen=True)
class Plot:
    labels: list[str]
    series: list[Series]
    x_title: str
    y_title: str
    horizontal: bool = False
    value_max: float | None = None


@dataclass(frozen=True)
class ChartView:
    id: str
    title: str
    headline: str
    columns: list[Column]
    rows: list[list[Cell]]
    sources: list[Cited]
    as_of: str | None
    note: str
    plot: Plot
    words: Words = field(repr=False)

    def source_line(self) -> str:
        """The sources and date as one line of text (drawn under the chart's image)."""
        names = [
            ": ".join(part for part in (source.publisher, source.title) if part) or ""
            for source in self.sources
        ]
        line = f"{self.words.t('Sources', 'ที่มา')}: {'; '.join(names)}" if names else ""
        if self.as_of:
            line += f" · {self.words.t('Data as of', 'ข้อมูล ณ')} {self.as_of}"
        return line

    def as_json(self) -> dict[str, Any]:
        """What the page's script draws the chart from."""
        return {
            "id": self.id,
            "title": self.title,
            "sourceLine": self.source_line(),
            "lang": self.words.lang,
            "labels": self.plot.labels,
            "series": [
                {"label": s.label, "values": s.values, "colour": s.colour} for s in self.plot.series
            ],
            "xTitle": self.plot.x_title,
            "yTitle": self.plot.y_title,
            "horizontal": self.plot.horizontal,
            "max": self.plot.value_max,
        }


def _name(w: Words, record: Data, th: str = "nameTh", en: str = "nameEn") -> str:
    first, second = (record[th], record[en]) if w.thai else (record[en], record[th])
    return str(first or second or "")


def _date(w: Words, partial: str | None) -> Cell:
    return Cell(w.date(partial), partial) if partial else _missing()


def _count(w: Words, value: str | int | Decimal | None) -> Cell:
    return _missing() if value is None else Cell(w.number(value), plain(value))


def _missing() -> Cell:
    return Cell(NO_FIGURE, "")


def _float(value: str | int | Decimal | None) -> float | None:
    return None if value is None else float(value)


def cited(w: Words, sources: Iterable[Data]) -> list[Cited]:
    """Each source once, in order of first citation."""
    seen: dict[str, Cited] = {}
    for source in sources:
        key = source["url"] or f"{source['publisher']}|{source['title']}"
        published = source["publishedOn"]
        seen.setdefault(
            key,
            Cited(
                source["title"],
                source["publisher"],
                source["url"],
                w.date(published) if published else None,
            ),
        )
    return list(seen.values())


def _phase_label(w: Words, phase: Data) -> str:
    start, end = phase["startYear"], phase["endYear"]
    if w.thai:
        name = phase["nameTh"] or "เป้าหมาย"
        years = [w.year(start)] if start else []
        if end and end != start:
            years.append(str(end + BUDDHIST_ERA) if start else f"ถึง {w.year(end)}")
        return f"{name} ({RANGE.join(years)})"
    name = phase["nameEn"] or phase["key"]
    if start is None:
        return name if str(end) in name else f"{name} (by {end})"
    return f"{name} ({start})" if end in (None, start) else f"{name} ({start}{RANGE}{end})"


def targets(data: Data, w: Words) -> ChartView:
    programme = data["programme"]
    phases: list[Data] = programme["phases"]
    certification = programme["certification"]
    reported, provinces = certification["reportedAreas"], certification["reportedProvinces"]
    areas, province_unit = w.t("areas", "แห่ง"), w.t("provinces", "จังหวัด")

    def status(phase: Data) -> Cell:
        counted = phase["certification"]
        if not counted["begun"]:
            return Cell.of(w.t("before certification began", "ก่อนเริ่มการรับรอง"))
        if counted["reportedAreas"] is None:
            return Cell.of(w.t("not reported", "ไม่มีรายงาน"))
        return _count(w, counted["reportedAreas"]["value"])

    def reported_on(phase: Data) -> Cell:
        counted = phase["certification"]["reportedAreas"]
        return _date(w, counted["asOf"] if counted else None)

    headline = ""
    if reported:
        headline = w.t(
            f"The programme reported {w.number(reported['value'])} certified areas as of "
            f"{w.date(reported['asOf'])}"
            + (
                f", in {w.number(provinces['value'])} provinces as of {w.date(provinces['asOf'])}."
                if provinces
                else "."
            )
            + f" {certification['namedAreas']} of them are named in this data.",
            f"โครงการรายงานพื้นที่ที่ได้รับการรับรอง {w.number(reported['value'])} แห่ง "
            f"ณ {w.date(reported['asOf'])}"
            + (
                f" ใน {w.number(provinces['value'])} จังหวัด ณ {w.date(provinces['asOf'])}"
                if provinces
                else ""
            )
            + f" ข้อมูลนี้ระบุชื่อได้ {certification['namedAreas']} แห่ง",
        )
    labels = [_phase_label(w, phase) for phase in phases]
    return ChartView(
        id="targets",
        title=w.t(
            "Certified areas against the phase targets",
            "จำนวนพื้นที่ที่ได้รับการรับรองเทียบกับเป้าหมายแต่ละระยะ",
        ),
        headline=headline,
        columns=[
            Column(w.t("Phase", "ระยะ")),
            Column(w.t("Target", "เป้าหมาย"), areas, numeric=True),
            Column(w.t("Certified, as reported", "รับรองแล้วตามที่รายงาน"), areas, numeric=True),
            Column(w.t("Reported as of", "รายงาน ณ วันที่")),
            Column(w.t("Named in this data", "ระบุชื่อในข้อมูลนี้"), areas, numeric=True),
            Column(w.t("Still to certify", "พื้นที่ที่ยังขาด"), areas, numeric=True),
            Column(w.t("Target provinces", "เป้าหมายจังหวัด"), province_unit, numeric=True),
            Column(w.t("Provinces still to reach", "จังหวัดที่ยังขาด"), province_unit, numeric=True),
        ],
        rows=[
            [
                Cell.of(label),
                _count(w, phase["targetAreas"]),
                status(phase),
                reported_on(phase),
                _count(w, phase["certification"]["namedAreas"]),
                _count(w, phase["areasToTarget"]),
                _count(w, phase["targetProvinces"]),
                _count(w, phase["provincesToTarget"]),
            ]
            for label, phase in zip(labels, phases, strict=True)
        ],
        sources=cited(
            w,
            [
                *(reported["sources"] if reported else []),
                *(provinces["sources"] if provinces else []),
                *(source for phase in phases for source in phase["sources"]),
            ],
        ),
        as_of=w.date(reported["asOf"] if reported else data["citySummary"]["asOf"]),
        note=w.t(
            "Gaps to each target are counted from the programme's own reported count; the "
            "areas named here are fewer, as not every certified area has been identified.",
            "ส่วนที่ยังขาดคำนวณจากจำนวนที่โครงการรายงาน พื้นที่ที่ระบุชื่อในข้อมูลนี้มีน้อยกว่า "
            "เพราะยังระบุพื้นที่ที่ได้รับการรับรองไม่ครบทุกแห่ง",
        ),
        plot=Plot(
            labels=labels,
            series=[
                Series(
                    w.t("Target", "เป้าหมาย"),
                    [_float(phase["targetAreas"]) for phase in phases],
                    COLOURS["target"],
                ),
                Series(
                    w.t("Certified, as reported by then", "ได้รับการรับรองตามที่รายงาน"),
                    [
                        _float((phase["certification"]["reportedAreas"] or {}).get("value"))
                        for phase in phases
                    ],
                    COLOURS["actual"],
                ),
            ],
            x_title=w.t("Phase", "ระยะ"),
            y_title=w.t("Smart-city areas (number)", "จำนวนพื้นที่ (แห่ง)"),
        ),
        words=w,
    )


def progress(data: Data, w: Words) -> ChartView:
    ranking = data["cityRanking"]
    entries: list[Data] = ranking["entries"]
    figures: list[Data] = data["programme"]["figures"]
    overall = figures[-1] if figures else None
    headline = ""
    if overall:
        value, on = w.number(overall["value"]), w.date(overall["asOf"])
        headline = w.t(
            f"Programme-wide: {value}% complete (as of {on}).",
            f"ภาพรวมทั้งโครงการ: คืบหน้าร้อยละ {value} (ณ {on})",
        )
    names = [_name(w, entry["city"]) for entry in entries]
    dates = sorted(entry["observation"]["asOf"] for entry in entries)
    return ChartView(
        id="progress",
        title=w.t("Progress of each city", "ความคืบหน้าของแต่ละเมือง"),
        headline=headline,
        columns=[
            Column(w.t("Rank", "อันดับ"), numeric=True),
            Column(w.t("Area", "พื้นที่")),
            Column(w.t("Progress", "ความคืบหน้า"), w.t("%", "ร้อยละ"), numeric=True),
            Column(w.t("As of", "ณ วันที่")),
        ],
        rows=[
            [
                _count(w, entry["rank"]),
                Cell.of(name),
                _count(w, entry["observation"]["value"]),
                _date(w, entry["observation"]["asOf"]),
            ]
            for name, entry in zip(names, entries, strict=True)
        ],
        sources=cited(
            w,
            [
                *(source for entry in entries for source in entry["observation"]["sources"]),
                *(overall["sources"] if overall else []),
            ],
        ),
        as_of=w.date(dates[-1]) if dates else None,
        note=w.t(
            f"{ranking['totalCount']} areas have a dated progress figure.",
            f"มี {ranking['totalCount']} พื้นที่ที่มีตัวเลขความคืบหน้า",
        ),
        plot=Plot(
            labels=names,
            series=[
                Series(
                    w.t("Progress (%)", "ความคืบหน้า (ร้อยละ)"),
                    [_float(entry["observation"]["value"]) for entry in entries],
                    COLOURS["bar"],
                )
            ],
            x_title=w.t("Progress (%)", "ความคืบหน้า (ร้อยละ)"),
            y_title=w.t("Area", "พื้นที่"),
            horizontal=True,
            value_max=100,
        ),
        words=w,
    )


def investment(data: Data, w: Words) -> ChartView:
    summary = data["investmentSummary"]
    groups: list[Data] = summary["groups"]
    figures: list[Data] = data["programme"]["figures"]
    total = figures[-1] if figures else None
    unit = w.t("million baht", "ล้านบาท")

    def millions(amount: str) -> Decimal:
        return Decimal(amount) / MILLION

    def label(group: Data) -> str:
        if group["key"] is None:
            return w.t("No dimension named", "ไม่ระบุมิติ")
        return str((group["th"] if w.thai else group["label"]) or group["key"])

    headline = ""
    if total:
        amount, on = w.number(millions(total["value"])), w.date(total["asOf"])
        headline = w.t(
            f"Programme-wide investment reported: {amount} million baht (as of {on}).",
            f"เงินลงทุนทั้งโครงการที่รายงาน: {amount} ล้านบาท (ณ {on})",
        )
    labels = [label(group) for group in groups]
    recorded = w.number(millions(summary["total"]["amount"]))
    as_of = summary["asOf"] or (total["asOf"] if total else None)
    return ChartView(
        id="investment",
        title=w.t("Actual investment by smart dimension", "การลงทุนจริงแยกตามมิติเมืองอัจฉริยะ"),
        headline=headline,
        columns=[
            Column(w.t("Smart dimension", "มิติ")),
            Column(w.t("Investments", "จำนวนรายการ"), w.t("records", "รายการ"), numeric=True),
            Column(w.t("Actual investment", "เงินลงทุนจริง"), unit, numeric=True),
        ],
        rows=[
            [
                Cell.of(name),
                _count(w, group["count"]),
                _count(w, millions(group["total"]["amount"])),
            ]
            for name, group in zip(labels, groups, strict=True)
        ],
        sources=cited(w, total["sources"] if total else []),
        as_of=w.date(as_of) if as_of else None,
        note=w.t(
            f"The bars sum {summary['count']} actual investments recorded per area "
            f"({recorded} million baht); money serving several dimensions counts in each.",
            f"แท่งกราฟรวมเงินลงทุนจริง {summary['count']} รายการที่บันทึกรายพื้นที่ "
            f"({recorded} ล้านบาท) เงินที่ใช้หลายมิติจะนับในทุกมิติ",
        ),
        plot=Plot(
            labels=labels,
            series=[
                Series(
                    w.t("Actual investment (million baht)", "เงินลงทุนจริง (ล้านบาท)"),
                    [float(millions(group["total"]["amount"])) for group in groups],
                    COLOURS["actual"],
                )
            ],
            x_title=w.t("Smart dimension", "มิติเมืองอัจฉริยะ"),
            y_title=w.t("Million baht", "ล้านบาท"),
        ),
        words=w,
    )


def regions(data: Data, w: Words) -> ChartView:
    summary = data["citySummary"]
    groups: list[Data] = summary["groups"]
    labels = [str((group["th"] if w.thai else group["label"]) or group["key"]) for group in groups]
    return ChartView(
        id="regions",
        title=w.t("Smart-city areas by region", "เมืองอัจฉริยะแยกตามภาค"),
        headline=w.t(
            f"{summary['count']} areas in the programme are recorded here.",
            f"มี {summary['count']} พื้นที่ในข้อมูลนี้",
        ),
        columns=[
            Column(w.t("Region", "ภาค")),
            Column(w.t("Smart-city areas", "พื้นที่"), w.t("areas", "แห่ง"), numeric=True),
        ],
        rows=[
            [Cell.of(name), _count(w, group["count"])]
            for name, group in zip(labels, groups, strict=True)
        ],
        sources=cited(w, data["regionScheme"]["nodes"]),
        as_of=w.date(summary["asOf"]) if summary["asOf"] else None,
        note=w.t(
            "Counted from the areas' records, each of which cites its own sources, by the "
            "region of each area's province.",
            "นับจากข้อมูลรายพื้นที่ ซึ่งระบุแหล่งที่มาของแต่ละพื้นที่ ตามภาคของจังหวัดที่ตั้ง",
        ),
        plot=Plot(
            labels=labels,
            series=[
                Series(
                    w.t("Smart-city areas", "จำนวนพื้นที่"),
                    [_float(group["count"]) for group in groups],
                    COLOURS["bar"],
                )
            ],
            x_title=w.t("Region", "ภาค"),
            y_title=w.t("Smart-city areas (number)", "จำนวนพื้นที่ (แห่ง)"),
        ),
        words=w,
    )


VIEWS: dict[str, Callable[[Data, Words], ChartView]] = {
    "targets": targets,
    "progress": progress,
    "investment": investment,
    "regions": regions,
}
