"""Sorting, choosing cities and the URL state of comparison tables, in Chromium."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest


def row_keys(page) -> list[str]:
    return page.eval_on_selector_all("table[data-compare] tbody tr", "rows => rows.map(r => r.id)")


def visible_cities(page) -> list[str]:
    return page.eval_on_selector_all(
        "table[data-compare] thead th[data-city]",
        "ths => ths.filter(th => getComputedStyle(th).display !== 'none').map(th => th.dataset.city)",
    )


@pytest.fixture
def awards(page, three_city_site):
    page.goto(f"{three_city_site}/compare/incubator-awards/")
    return page


def test_sorting_by_a_city_column(awards):
    page = awards
    default = row_keys(page)
    assert default[0] == "row-incubator-recognition-national"
    page.get_by_role("button", name="二号市").click()
    header = page.locator("th[data-city='erhao']")
    assert header.get_attribute("aria-sort") == "descending"
    # erhao: national 80万 > per-firm 3万; rows without a value go last
    assert row_keys(page)[:2] == ["row-incubator-recognition-national", "row-incubated-hte-reward"]
    page.get_by_role("button", name="二号市").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert row_keys(page)[:2] == ["row-incubated-hte-reward", "row-incubator-recognition-national"]
    assert parse_qs(urlsplit(page.url).query)["sort"] == ["erhao:asc"]
    page.get_by_role("button", name="支持方式").click()
    assert row_keys(page) == default
    assert page.locator("th[aria-sort]").count() == 1


def test_sorting_by_amount_puts_the_largest_first(awards):
    page = awards
    page.get_by_role("button", name="最高").click()
    keys = row_keys(page)
    assert keys[0] == "row-incubator-recognition-national"  # 120万 is the largest amount
    values = page.eval_on_selector_all(
        "table[data-compare] tbody tr", "rows => rows.map(r => r.dataset.best).filter(v => v !== '').map(Number)"
    )
    assert values == sorted(values, reverse=True)


def test_choosing_cities_shows_only_them_and_lives_in_the_url(awards):
    page = awards
    assert visible_cities(page) == ["sanhao", "erhao", "shili"]
    page.get_by_role("checkbox", name="三号市").check()
    assert visible_cities(page) == ["sanhao", "erhao", "shili"]  # one city alone does not filter
    assert "再选择至少一个城市" in page.locator("#picker-status").inner_text()
    page.get_by_role("checkbox", name="示例市").check()
    assert visible_cities(page) == ["sanhao", "shili"]
    assert parse_qs(urlsplit(page.url).query)["cities"] == ["sanhao,shili"]
    best = page.locator("#row-incubator-recognition-national td.best-col").inner_text()
    assert best == "120万元（三号市）"
    page.get_by_role("button", name="显示全部城市").click()
    assert visible_cities(page) == ["sanhao", "erhao", "shili"]
    assert "cities" not in parse_qs(urlsplit(page.url).query)


def test_best_mark_follows_the_chosen_cities(awards):
    page = awards
    marked = "#row-incubator-recognition-national td.best"
    assert page.locator(marked).get_attribute("data-city") == "sanhao"
    page.get_by_role("checkbox", name="二号市").check()
    page.get_by_role("checkbox", name="示例市").check()
    assert page.locator(marked).get_attribute("data-city") == "shili"
    assert page.locator(f"{marked} .best-mark").inner_text() == "最高"


def test_shared_url_restores_choice_and_sort(page, three_city_site):
    page.goto(f"{three_city_site}/compare/incubator-awards/?cities=erhao,shili&sort=shili:desc")
    assert visible_cities(page) == ["erhao", "shili"]
    assert page.get_by_role("checkbox", name="二号市").is_checked() and page.get_by_role("checkbox", name="示例市").is_checked()
    assert page.locator("th[data-city='shili']").get_attribute("aria-sort") == "descending"
    assert row_keys(page)[0] == "row-incubator-recognition-national"


def test_at_most_four_cities_and_unknown_ones_ignored(page, three_city_site):
    page.goto(f"{three_city_site}/compare/incubator-awards/?cities=erhao,nowhere,shili")
    assert visible_cities(page) == ["erhao", "shili"]


def test_keyboard_only(awards):
    page = awards
    page.locator("th[data-city='erhao'] button").focus()
    page.keyboard.press("Enter")
    assert page.locator("th[data-city='erhao']").get_attribute("aria-sort") == "descending"
    page.get_by_role("checkbox", name="三号市").focus()
    page.keyboard.press("Space")
    assert page.get_by_role("checkbox", name="三号市").is_checked()


def test_without_javascript_the_full_table_shows(browser, three_city_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{three_city_site}/compare/incubator-awards/?cities=erhao,shili")
    assert visible_cities(page) == ["sanhao", "erhao", "shili"]
    assert not page.locator("#city-picker").is_visible()
    assert page.locator("table[data-compare] tbody tr").count() == 3
    context.close()
