"""Small factories: rows with plain defaults, written straight through the test's session.

Everything they make is synthetic test data and is labelled so (`synthetic-…` keys); it only
ever lives in a test's own throwaway database.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from db.enums import (
    Certainty,
    CityStatus,
    Currency,
    InvestmentKind,
    InvestmentStage,
    MilestoneStatus,
    OrganizationKind,
    Region,
)
from db.map_points import area_point
from db.tables import (
    Citation,
    City,
    CityDimension,
    Dimension,
    Investment,
    Milestone,
    Observation,
    Organization,
    Project,
    ProjectDimension,
    Province,
    Record,
    Source,
)

_sequence = itertools.count(1)
R = TypeVar("R", bound=Record)


def row_id(row: Record) -> int:
    assert row.id is not None
    return row.id


async def _add(session: AsyncSession, row: R) -> R:
    session.add(row)
    await session.commit()
    await session.refresh(row)
    return row


async def province(session: AsyncSession, **overrides: Any) -> Province:
    n = next(_sequence)
    values: dict[str, Any] = {
        "code": f"TH-{n % 100:02d}",
        "dopa_code": n % 100,
        "name_th": f"จังหวัดสังเคราะห์ {n}",
        "name_en": f"Synthetic Province {n}",
        "region": Region.NORTH,
        "latitude": 18.0,
        "longitude": 99.0,
    }
    return await _add(session, Province(**(values | overrides)))


async def dimension(session: AsyncSession, code: str = "MOBILITY", **overrides: Any) -> Dimension:
    values: dict[str, Any] = {
        "code": code,
        "name_en": f"Smart {code.title()}",
        "name_th": f"มิติ {code}",
    }
    return await _add(session, Dimension(**(values | overrides)))


async def organization(session: AsyncSession, **overrides: Any) -> Organization:
    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"synthetic-org-{n}",
        "name_en": f"Synthetic Organisation {n}",
        "kind": OrganizationKind.COMPANY,
    }
    return await _add(session, Organization(**(values | overrides)))


async def city(
    session: AsyncSession,
    *,
    province: Province,
    dimensions: tuple[Dimension, ...] = (),
    **overrides: Any,
) -> City:
    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"synthetic-city-{n}",
        "name_th": f"เมืองสังเคราะห์ {n}",
        "name_en": f"Synthetic City {n}",
        "province_id": province.id,
        "status": CityStatus.CERTIFIED,
        "certification_round": "2021-R1",
        "certified_on": "2021-08-13",
        "certainty": Certainty.CONFIRMED,
        **area_point(None, province).columns(),
    }
    row = await _add(session, City(**(values | overrides)))
    for dim in dimensions:
        session.add(CityDimension(city_id=row_id(row), dimension_id=row_id(dim)))
    await session.commit()
    return row


async def project(
    session: AsyncSession,
    *,
    city: City,
    dimensions: tuple[Dimension, ...] = (),
    **overrides: Any,
) -> Project:
    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"synthetic-project-{n}",
        "city_id": city.id,
        "province_id": city.province_id,
        "title_th": f"โครงการสังเคราะห์ {n}",
        "title_en": f"Synthetic Project {n}",
        "budget": Decimal("1000000.00"),
        "certainty": Certainty.REPORTED,
    }
    row = await _add(session, Project(**(values | overrides)))
    for dim in dimensions:
        session.add(ProjectDimension(project_id=row_id(row), dimension_id=row_id(dim)))
    await session.commit()
    return row


async def investment(
    session: AsyncSession, *, city: City, project: Project | None = None, **overrides: Any
) -> Investment:
    n = next(_sequence)
    values: dict[str, Any] = {
        "key": f"synthetic-investment-{n}",
        "city_id": city.id,
        "project_id": None if project is None else project.id,
        "amount": Decimal("2500000.50"),
        "currency": Currency.THB,
        "kind": InvestmentKind.PUBLIC,
        "stage": InvestmentStage.ACTUAL,
        "as_of": "2023-05",
        "certainty": Certainty.REPORTED,
    }
    return await _add(session, Investment(**(values | overrides)))


async def milestone(
    session: AsyncSession,
    *,
    project: Project | None = None,
    city: City | None = None,
    **overrides: Any,
) -> Milestone:
    n = next(_sequence)
    values: dict[str, Any] = {
        "key": f"synthetic-milestone-{n}",
        "project_id": None if project is None else project.id,
        "city_id": None if city is None else city.id,
        "title_en": f"Synthetic step {n}",
        "status": MilestoneStatus.MET,
        "met_on": "2022-01-01",
    }
    return await _add(session, Milestone(**(values | overrides)))


async def observation(session: AsyncSession, **overrides: Any) -> Observation:
    n = next(_sequence)
    values: dict[str, Any] = {
        "key": f"synthetic-observation-{n}",
        "indicator": "PROGRESS_PERCENT",
        "value": Decimal("50.5"),
        "unit": "percent",
        "as_of": "2024-04-23",
        "certainty": Certainty.REPORTED,
    }
    return await _add(session, Observation(**(values | overrides)))


async def source(session: AsyncSession, **overrides: Any) -> Source:
    n = next(_sequence)
    values: dict[str, Any] = {
        "key": f"synthetic-source-{n}",
        "url": f"https://example.org/synthetic/{n}",
        "publisher": "Synthetic Publisher",
    }
    return await _add(session, Source(**(values | overrides)))


async def cite(session: AsyncSession, source: Source, record: Record) -> None:
    assert source.id is not None
    assert record.id is not None
    session.add(
        Citation(source_id=source.id, subject_type=str(record.__tablename__), subject_id=record.id)
    )
    await session.commit()


async def synthetic_programme(
    session: AsyncSession, *, cities: int, dims: tuple[Dimension, Dimension]
) -> None:
    """A labelled synthetic dataset that grows with `cities`: each city has a province, two
    dimensions, two projects with two milestones and an investment each, and a source."""
    cited = await source(session)
    for _ in range(cities):
        place = await province(session, code=f"TH-{next(_sequence)}")
        area = await city(session, province=place, dimensions=dims)
        await cite(session, cited, area)
        for _ in range(2):
            work = await project(session, city=area, dimensions=dims[:1])
            await investment(session, city=area, project=work)
            for _ in range(2):
                await milestone(session, project=work, city=area)
