"""Queries as readers type them, beyond the 40 policy terms of test_search.py.

Each entry is ``(what the reader types, what it means)``: the meaning is the
same words written with spaces, or the form the archived text uses.  The
pages that should be found are those whose indexed text holds every word of
the meaning (after folding full-width forms and brackets, see
``TRUTH_JS`` in test_search.py).  Used by the browser tests and by
``python -m tests.search_bench``.
"""

from __future__ import annotations

# City (or zone) and topic typed together, as with a Chinese input method: no spaces.
GLUED = [
    ("盘锦孵化器", "盘锦 孵化器"),
    ("锦州人才", "锦州 人才"),
    ("锦州中试基地", "锦州 中试基地"),
    ("人才住房", "人才 住房"),
    ("铁岭院士工作站", "铁岭 院士工作站"),
    ("辽阳院士工作站", "辽阳 院士工作站"),
    ("大连人才公寓", "大连 人才公寓"),
    ("盘锦瞪羚", "盘锦 瞪羚"),
    ("锦州贷款贴息", "锦州 贷款贴息"),
    ("辽阳研发费用加计扣除", "辽阳 研发费用加计扣除"),
    ("阜新知识产权质押", "阜新 知识产权质押"),
    ("沈阳创业投资基金", "沈阳 创业投资基金"),
    ("鞍山股权投资", "鞍山 股权投资"),
    ("丹东高层次人才", "丹东 高层次人才"),
    ("锦州租金补贴", "锦州 租金补贴"),
    ("盘锦星创天地", "盘锦 星创天地"),
    ("营口孵化器", "营口 孵化器"),
    ("锦州揭榜挂帅", "锦州 揭榜挂帅"),
    ("盘锦运营补贴", "盘锦 运营补贴"),
    ("阜新种子基金", "阜新 种子基金"),
    ("辽阳科技创新券", "辽阳 科技创新券"),
    ("锦州技术合同", "锦州 技术合同"),
    ("盘锦融资租赁", "盘锦 融资租赁"),
    ("葫芦岛博士后", "葫芦岛 博士后"),
    ("抚顺精细化工", "抚顺 精细化工"),
    ("本溪生物医药", "本溪 生物医药"),
    ("大连孵化器", "大连 孵化器"),
    ("孵化器后补助", "孵化器 后补助"),
    ("人才公寓住房", "人才公寓 住房"),
    ("科技金融天使投资", "科技金融 天使投资"),
    ("瞪羚企业奖励", "瞪羚企业 奖励"),
    ("锦州孵化器后补助", "锦州 孵化器 后补助"),
]

# The same meanings typed with spaces, plus phrases of several words.
SPACED = [spaced for _, spaced in GLUED] + [
    "盘锦 科技金融", "人才 住房 补贴", "辽宁 高新区 人才公寓", "阜新 高新区 液压", "科技型中小企业 贷款",
    "孵化器 50万元", "众创空间 省级 后补助", "技术合同 后补助", "瞪羚 独角兽", "知识产权 质押 风险补偿",
    "沈阳 创业投资", "锦州 众创空间 国家级", "揭榜挂帅 科技攻关", "高新技术企业 奖励", "风险补偿 资金",
]

# Single terms and figures not among the 40 policy terms.
NEW_TERMS = [
    "人才公寓", "研发费用加计扣除", "税收优惠", "贷款贴息", "天使投资", "股权投资", "科技担保", "加速器",
    "小巨人", "瞪羚企业", "技术市场", "研发中心", "工程技术研究中心", "企业技术中心", "技术创新中心", "液压",
    "生物医药", "装备制造", "汽车零部件", "智能制造", "锦兴工程", "春芽计划", "高层次人才", "外国专家",
    "租金补贴", "个人所得税", "绿色通道", "应收账款", "新三板", "科技大市场", "种子基金", "运营补贴",
    "在孵企业", "科学技术奖", "绩效评价", "渤海大学", "自创区", "500万元", "4.5亿元", "2.16%", "21亿元",
]

# Written differently from the archived text: brackets of a 文号, full-width Latin and digits.
NORMALISED = [
    ("阜政发[2015]44号", "阜政发〔2015〕44号"),
    ("阜政发2015 44号", "阜政发〔2015〕44号"),
    ("阜政发［2015］44号", "阜政发〔2015〕44号"),
    ("盘政办发[2021]10号", "盘政办发〔2021〕10号"),
    ("锦委办发(2020)41号", "锦委办发〔2020〕41号"),
    ("R＆D", "R&D"),
    ("２０２４年", "2024年"),
    ("４.５亿元", "4.5亿元"),
    ("ＧＤＰ", "GDP"),
]


def all_queries() -> list[tuple[str, str]]:
    """Every query with its meaning: (typed, meaning)."""
    return [*GLUED] + [(q, q) for q in SPACED] + [(t, t) for t in NEW_TERMS] + [*NORMALISED]


# On the search page: for each meaning, the pages (as Pagefind names them, "/documents/x/") whose indexed
# text, folded, holds each of its words.  Independent of search.js: Pagefind's own API and plain includes().
TRUTH_JS = """
async (meanings) => {
  const fold = (s) => s.replace(/\\u200b/g, '')
    .replace(/[\\uff01-\\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\\[【〖]/g, '〔').replace(/[\\]】〗]/g, '〕').toLowerCase();
  const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
  await pf.init();
  const all = await pf.search(null);
  const pages = await Promise.all(all.results.map((r) => r.data()));
  const texts = pages.map((d) => [d.raw_url || d.url, fold(d.content)]);
  const out = {};
  for (const meaning of meanings) {
    const words = meaning.split(/\\s+/).map(fold);
    out[meaning] = texts.filter(([, t]) => words.every((w) => t.includes(w))).map(([u]) => u);
  }
  return out;
}
"""
