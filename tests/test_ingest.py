"""site-gen ingest: junk out, pinyin out, simplified characters, readable tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from site_gen.cli import main
from site_gen.errors import ContentError
from site_gen.ingest.clean import clean_text
from site_gen.validate.ingest_rules import load_ingest_rules
from tests.conftest import REAL_CONTENT, ROOT

RULES = load_ingest_rules(REAL_CONTENT / "ingest-rules.yaml")
SEEDS = ROOT.parent / "shared" / "seeds"


def clean(raw: str) -> str:
    return clean_text(raw, RULES)[0]


def test_pinyin_annotations_go_real_parentheses_stay():
    raw = "盤(pán)錦市推進(jìn)雙創(chuàng )孵化(含眾創空間)和研究與試驗發展(R&D)經費\n"
    assert clean(raw) == "盘锦市推进双创孵化(含众创空间)和研究与试验发展(R&D)经费\n"


def test_simplified_text_is_left_alone():
    raw = "对新获批备案的国家、省孵化器分别给予50万元、20万元后补助。\n"
    text, report = clean_text(raw, RULES)
    assert text == raw and not report.converted_to_simplified


def test_junk_lines_and_prefixes_are_removed_by_named_rules():
    raw = (
        "日韩精品在线观看视频,国产一区二区在线观看视频\n"
        "首 页 区县招商 产业园区 企业选址 优惠政策 新闻中心\n"
        "索比光伏网讯:阜政发〔2015〕44号\n"
        "發布時(shí)間:2021-05-21 瀏覽次數:3576\n"
        "\u3000\u3000正文第一段。   \n\n\n"
        "   正文第二段。 |\n"
    )
    text, report = clean_text(raw, RULES)
    assert text == "阜政发〔2015〕44号\n正文第一段。\n正文第二段。\n"
    assert report.counts["dropped line: spam keywords"] == 1
    assert report.counts["dropped line: site navigation bar"] == 1
    assert report.counts["dropped line: publish time and view counter"] == 1
    assert report.counts["stripped: news-site prefix"] == 1


def test_flattened_table_is_rejoined_row_by_row():
    raw = "附件2\n序号\n任务名称\n完成时限\n1\n鼓励孵化主体多元化\n12月31日\n2\n引进高端运营机构\n市产业技术\n创研工程中心\n"
    assert clean(raw) == (
        "附件2\n序号｜任务名称｜完成时限\n1｜鼓励孵化主体多元化｜12月31日\n2｜引进高端运营机构｜市产业技术｜创研工程中心\n"
    )


def test_bad_rules_file_is_reported(tmp_path: Path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("drop_lines:\n  - name: broken\n    pattern: '(['\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_ingest_rules(rules)
    assert error.value.report() == (f"{rules.as_posix()}:3:14: drop_lines[0].pattern: rule 'broken': invalid "
                                    "regular expression: unterminated character set at position 2 "
                                    "(expected a regular expression in Python syntax)")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_panjin_seed_becomes_clean_simplified_text():
    raw = (SEEDS / "002_a8401e22d6ed3200.txt").read_text(encoding="utf-8")
    text, report = clean_text(raw, RULES)
    assert report.converted_to_simplified
    assert text.startswith("盘政办发〔2021〕10号 盘锦市人民政府办公室关于")
    assert "日韩" not in text and "浏览次数" not in text and "索 引 号" not in text
    assert "(pán)" not in text and "(chuàng )" not in text
    assert "序号｜任务名称｜主要工作内容｜具体工作目标｜完成时限｜牵头单位｜责任单位\n" in text
    assert "\n8｜推动知识产权质押融资业务" in text


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_archived_sources_are_what_ingest_makes_of_the_seeds():
    """content/sources/ is reproducible from the seeds with the checked-in rules."""
    pairs = {
        "000_379d32157e588316": "fuxin-2015-innovation-plan",
        "001_544df5f8ded5f63a": "jinzhou-2021-action-plan",
        "002_a8401e22d6ed3200": "panjin-2021-incubation-plan",
        "003_8eedf486895ac3e7": "liaoyang-2017-innovation-plan",
        "004_5530d74c5f5589cb": "liaoning-2017-hitech-zone-plan",
    }
    for seed, document_id in pairs.items():
        raw = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
        archived = (REAL_CONTENT / "sources" / f"{document_id}.txt").read_text(encoding="utf-8")
        assert clean(raw) == archived, document_id


def test_cli_writes_and_refuses_to_overwrite(tmp_path: Path):
    raw = tmp_path / "raw.txt"
    raw.write_text("索比光伏网讯:正文。\n", encoding="utf-8")
    content = tmp_path / "content"
    rules = REAL_CONTENT / "ingest-rules.yaml"
    args = ["ingest", str(raw), "--id", "x-2020-plan", "--content", str(content), "--rules", str(rules)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "stripped: news-site prefix: 1" in first.output
    assert (content / "sources/x-2020-plan.txt").read_text(encoding="utf-8") == "正文。\n"
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 1 and "exists (use --force" in second.output
    assert CliRunner().invoke(main, args + ["--force"]).exit_code == 0
