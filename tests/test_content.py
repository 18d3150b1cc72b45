"""The published content: complete, cited, and covering every figure of the five documents."""

from __future__ import annotations

import datetime as dt

import pytest

from site_gen.build import load_site
from site_gen.coverage import uncovered_figures
from site_gen.derive import derive_site
from tests.conftest import REAL_CONTENT

CITIES = ["liaoning", "shenyang", "dalian", "anshan", "fushun", "benxi", "dandong", "jinzhou", "yingkou",
          "fuxin", "liaoyang", "panjin", "tieling", "chaoyang", "huludao"]
DOCUMENTS = ["fuxin-2015-innovation-plan", "jinzhou-2021-action-plan", "panjin-2021-incubation-plan",
             "liaoyang-2017-innovation-plan", "liaoning-2017-hitech-zone-plan"]
NATIONAL_ZONES = {"shenyang", "dalian", "anshan", "benxi", "jinzhou", "yingkou", "fuxin", "liaoyang"}


@pytest.fixture(scope="module")
def site():
    return load_site(REAL_CONTENT)


def test_all_cities_and_documents(site):
    assert [c.slug for c in site.cities] == CITIES  # ordered by 行政区划代码
    assert sorted(d.id for d in site.documents) == sorted(DOCUMENTS)


@pytest.mark.parametrize("document_id", DOCUMENTS)
def test_every_figure_of_the_document_is_in_the_data(site, document_id):
    assert [f"{u.section} {u.figure} …{u.context}…" for u in uncovered_figures(site, document_id)] == []


def test_fifteen_high_tech_zones_with_their_level(site):
    zones = {z.id: (c.slug, z.level) for c in site.cities for z in c.zones}
    assert len(zones) == 15
    assert zones["suizhong-hitech"] == ("huludao", "provincial")
    for slug in NATIONAL_ZONES:
        assert zones[f"{slug}-hitech"] == (slug, "national")


def test_a_city_without_a_municipal_document_has_cited_zone_facts(site):
    derived = derive_site(site, dt.date(2026, 11, 23))
    tieling = next(c for c in derived.cities if c.slug == "tieling")
    assert tieling.documents == ()
    zone = tieling.zones[0]
    assert zone.industries and len(zone.facts) >= 5
    assert all(f.citation.href.startswith("documents/liaoning-2017-hitech-zone-plan/#p-") for f in zone.facts)


def test_unknown_metadata_stays_unknown(site):
    liaoyang = site.document("liaoyang-2017-innovation-plan")
    assert liaoyang.title_supplied and liaoyang.issuer is None and liaoyang.number is None and liaoyang.issued is None
    assert site.document("jinzhou-2021-action-plan").number is None
    assert site.document("fuxin-2015-innovation-plan").number == "阜政发〔2015〕44号"
    assert site.document("panjin-2021-incubation-plan").number == "盘政办发〔2021〕10号"


def test_every_document_is_past_its_period_on_the_build_date(site):
    derived = derive_site(site, dt.date(2026, 11, 23))
    assert all(d.past_period for d in derived.documents)


def test_jinzhou_measures_show_their_five_year_end(site):
    derived = derive_site(site, dt.date(2026, 11, 23))
    jinzhou = next(d for d in derived.documents if d.id == "jinzhou-2021-action-plan")
    startup = next(m for m in jinzhou.measures if m.id == "jinxing-startup-funding")
    assert startup.valid_until == dt.date(2026, 10, 8) and startup.expired
    assert next(m for m in jinzhou.measures if m.id == "spring-bud-projects").valid_until is None
