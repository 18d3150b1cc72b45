"""The published content: complete, cited, and covering every figure of the five documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
    provincial = site.document("liaoning-2017-hitech-zone-plan")
    assert provincial.issuer is None and provincial.number is None and provincial.issued is None
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


def test_no_metadata_value_is_guessed(site):
    """A period is stated and cited, or inferred with its reason; nothing in between."""
    for document in site.documents:
        period = document.period
        assert period is not None and period.source is not None, document.id
        assert (period.basis == "inferred") == bool(period.reason), document.id
    panjin = site.document("panjin-2021-incubation-plan").period
    assert (panjin.end, panjin.basis) == (2025, "inferred") and "十四五" in panjin.reason
    assert site.document("jinzhou-2021-action-plan").period.basis == "stated"


def test_every_summary_cites_the_paragraphs_it_draws_on(site):
    for record in (*site.cities, *site.documents):
        assert record.summary_markdown.strip() and record.summary_sources, getattr(record, "id", None) or record.slug
        assert all(ref.anchor for ref in record.summary_sources)


@pytest.mark.parametrize("document_id, target_id, expected", [
    ("liaoning-2017-hitech-zone-plan", "hte-share-baseline", {"value": 30, "qualifier": "nearly"}),
    ("panjin-2021-incubation-plan", "task5-training-2021", {"min": 1, "max": 2, "unit": "场", "value": None}),
    ("panjin-2021-incubation-plan", "annex2-mentor-team", {"value": 1, "unit": "支", "qualifier": "at-least"}),
    ("jinzhou-2021-action-plan", "guide-fund-industry-chains", {"min": 1, "max": 2, "unit": "条", "strive": True}),
    ("jinzhou-2021-action-plan", "annex4-guide-fund-industry-chains", {"min": 1, "max": 2, "unit": "个"}),
    ("jinzhou-2021-action-plan", "zone-ranking-five-years", {"zone": "jinzhou-hitech"}),
    ("jinzhou-2021-action-plan", "rd-intensity-2024", {"year": 2024, "year_approximate": True, "strive": True}),
    ("fuxin-2015-innovation-plan", "startup-mentors", {"value": 100, "unit": "名"}),
    ("fuxin-2015-innovation-plan", "student-entrepreneurs", {"value": 300, "unit": "名"}),
])
def test_what_the_audit_found_is_in_the_data(site, document_id, target_id, expected):
    target = next(t for t in site.document(document_id).targets if t.id == target_id)
    assert {k: getattr(target, k) for k in expected} == expected


def test_within_three_years_and_five_years_are_horizons(site):
    targets = {t.id: t for d in site.documents for t in d.targets}
    for target_id, years in (("startup-mentors", 3), ("student-entrepreneurs", 3), ("zone-ranking-five-years", 5)):
        horizon = targets[target_id].horizon
        assert (horizon.value, horizon.unit, horizon.qualifier) == (years, "年", "at-most")


def test_thresholds_and_quantities_are_numbers(site):
    measures = {m.id: m for d in site.documents for m in d.measures}
    assert measures["tech-contract-subsidy"].thresholds[0].value == 500000
    assert measures["tech-contract-subsidy"].thresholds[0].qualifier == "at-least"
    assert measures["jinxing-startup-funding"].thresholds[0].value == 1000000
    assert (measures["dalian-talent-building"].quantities[0].value,
            measures["dalian-talent-building"].quantities[0].unit) == (Decimal("1.6"), "万平方米")
    assert measures["anshan-equity-funds"].quantities[0].unit == "只"
    leading = next(t for t in site.document("liaoyang-2017-innovation-plan").targets if t.id == "leading-enterprises-2020")
    assert (leading.thresholds[0].value, leading.thresholds[0].qualifier) == (1_000_000_000, "exceed")


def test_remarks_that_are_not_goals_are_not_targets(site):
    labels = " ".join(t.label or "" for d in site.documents for t in d.targets)
    for remark in ("工业4.0", "中国制造2025先行区", "每月26日", "特高压", "千伏"):
        assert remark not in labels
    reasons = " ".join(n.reason for d in site.documents for n in d.non_commitments)
    for remark in ("工业4.0", "2025", "26日", "千伏"):
        assert remark in reasons


def test_targets_are_true_counts(site):
    """A goal repeated in a plan, its annex and its task table is one target with several citations."""
    for document in site.documents:
        seen: dict[tuple, str] = {}
        for t in document.targets:
            key = (t.metric, t.label, t.value, t.min, t.max, t.unit, t.year, t.zone, t.district, t.basis, t.qualifier)
            assert key not in seen, (document.id, t.id, seen.get(key))
            seen[key] = t.id
    panjin = site.document("panjin-2021-incubation-plan")
    events = next(t for t in panjin.targets if t.id == "events-2021")
    assert [ref.section for ref in events.also_cited] == ["三/(三)", "附件2/5"]
    assert len(panjin.targets) == 85


def test_every_editor_note_reaches_the_open_data(site):
    derived = derive_site(site, dt.date(2026, 11, 23))
    notes = sorted(f"{d.id}/{m.id}: {m.note}" for d in site.documents for m in (*d.measures, *d.targets) if m.note)
    published = sorted(f"{r['id']}: {r['note']}" for r in (*derived.measure_records, *derived.target_records)
                       if r["note"])
    assert notes == published and len(notes) > 100
