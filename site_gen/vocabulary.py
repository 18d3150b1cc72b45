"""The controlled vocabularies of the content schema, kept in one place.

Every category, kind of offer, target metric, level and zone-fact topic an
editor may use is listed here, with the Chinese label readers see.  The schema
(:mod:`site_gen.records`) accepts exactly these ids, the comparison
tables (:mod:`site_gen.derive.tables`) take their rows from :data:`OFFER_KINDS`, and ``content/README.md``
documents them.  Adding a term is a one-line change in this file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable id and the label readers see."""

    id: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class OfferKind(Term):
    """A kind of support offer: the row a measure lands in when compared.

    ``category`` is the broad category the kind belongs to.  Which comparison
    table shows a kind is said by the table (:mod:`site_gen.derive.tables`).
    """

    category: str = ""


@dataclass(frozen=True)
class Metric(Term):
    """A target metric, with the unit documents usually state it in."""

    unit: str = ""


def _index(terms: tuple[Term, ...]) -> dict[str, Term]:
    return {t.id: t for t in terms}


LEVELS: dict[str, Term] = _index((
    Term("national", "国家级"),
    Term("provincial", "省级"),
    Term("municipal", "市级"),
    Term("county", "县（区）级"),
))

ZONE_LEVELS: dict[str, Term] = _index((
    Term("national", "国家级高新区"),
    Term("provincial", "省级高新区"),
))

CATEGORIES: dict[str, Term] = _index((
    Term("talent", "人才引育", "高层次人才与团队的资金、住房、税收、生活保障"),
    Term("incubator", "孵化载体", "科技企业孵化器、众创空间、星创天地、大学科技园、加速器"),
    Term("pilot-base", "中试基地", "科技成果中试、熟化基地"),
    Term("tech-transfer", "技术转移与成果转化", "技术合同、技术转移机构、成果转化"),
    Term("finance", "科技金融", "基金、信贷风险补偿、贴息、担保、质押融资"),
    Term("awards", "科技奖励", "对获科学技术奖项目的奖励"),
    Term("enterprise", "企业培育", "科技型中小企业、高新技术企业、雏鹰、瞪羚、独角兽"),
    Term("platform", "创新平台", "重点实验室、技术创新中心、工程研究中心、新型研发机构、联盟"),
    Term("research", "科技攻关", "揭榜挂帅、重大科技项目"),
    Term("ip", "知识产权", "专利创造、运用与保护"),
    Term("zone", "高新区建设", "高新区的机构、园区与配套"),
    Term("other", "其他"),
))

_KINDS: tuple[OfferKind, ...] = (
    # incubator awards
    OfferKind("incubator-recognition", "孵化器（大学科技园）新认定奖励", category="incubator"),
    OfferKind("makerspace-recognition", "众创空间新备案奖励", category="incubator"),
    OfferKind("star-space-recognition", "星创天地新备案奖励", category="incubator"),
    OfferKind("carrier-performance", "孵化载体绩效奖励", category="incubator"),
    OfferKind("carrier-operation", "孵化载体运营补贴", category="incubator"),
    OfferKind("incubated-hte-reward", "每培育一家高新技术企业的奖励", "在孵或毕业企业新认定为高新技术企业时奖励载体", category="incubator"),
    OfferKind("pilot-base-recognition", "中试基地新获批奖励", category="pilot-base"),
    OfferKind("pilot-base-performance", "中试基地绩效奖励", category="pilot-base"),
    OfferKind("pilot-base-hte-reward", "中试基地每转化一家高新技术企业的奖励", category="pilot-base"),
    OfferKind("tech-transfer-institution", "技术转移示范机构新获批奖励", category="tech-transfer"),
    OfferKind("tech-transfer-commission", "技术转移机构促成转化奖励", category="tech-transfer"),
    # talent packages
    OfferKind("talent-startup", "创业启动资金", category="talent"),
    OfferKind("talent-funding", "人才资金资助", category="talent"),
    OfferKind("talent-co-investment", "股权投资与跟投", category="talent"),
    OfferKind("talent-land", "土地费用", category="talent"),
    OfferKind("talent-rent", "厂房租金", category="talent"),
    OfferKind("talent-income-tax", "个人所得税奖励", category="talent"),
    OfferKind("talent-housing", "住房与人才公寓", category="talent"),
    OfferKind("talent-schooling", "子女入学", category="talent"),
    OfferKind("talent-medical", "就医绿色通道", category="talent"),
    OfferKind("talent-residence", "落户、工作与居留许可", category="talent"),
    OfferKind("talent-case-by-case", "“一事一议”个性化支持", category="talent"),
    OfferKind("talent-fund", "人才专项资金", category="talent"),
    OfferKind("talent-base", "人才工作站与创业基地", category="talent"),
    OfferKind("talent-service", "服务专班与项目推荐", category="talent"),
    # funds and financing
    OfferKind("guide-fund", "产业投资引导基金", category="finance"),
    OfferKind("venture-fund", "创业投资、风险投资基金", category="finance"),
    OfferKind("angel-fund", "天使投资基金", category="finance"),
    OfferKind("industry-fund", "产业投资基金", category="finance"),
    OfferKind("risk-compensation", "科技信贷风险补偿", category="finance"),
    OfferKind("loan-interest-subsidy", "科技贷款贴息", category="finance"),
    OfferKind("guarantee", "科技融资担保", category="finance"),
    OfferKind("ip-pledge", "知识产权质押融资", category="finance"),
    OfferKind("listing-support", "企业上市培育", category="finance"),
    OfferKind("financial-institutions", "金融机构引进", category="finance"),
    OfferKind("innovation-voucher", "科技创新券", category="finance"),
    # not compared side by side, but listed on city and document pages
    OfferKind("tech-contract-subsidy", "技术合同后补助", category="tech-transfer"),
    OfferKind("science-award-match", "科学技术奖奖励性后补助", category="awards"),
    OfferKind("enterprise-subsidy", "高新技术企业等认定补助", category="enterprise"),
    OfferKind("platform-award", "创新平台认定奖励", category="platform"),
    OfferKind("research-project", "科技攻关项目支持", category="research"),
    OfferKind("ip-support", "知识产权资助", category="ip"),
    OfferKind("zone-facility", "高新区设施建设", category="zone"),
    OfferKind("other", "其他支持", category="other"),
)
OFFER_KINDS: dict[str, OfferKind] = {k.id: k for k in _KINDS}

METRICS: dict[str, Metric] = {m.id: m for m in (
    Metric("rd-intensity", "R&D经费支出占GDP比重", unit="%"),
    Metric("rd-spending", "全社会研发投入", unit="元"),
    Metric("hte-count", "高新技术企业数量", unit="家"),
    Metric("tech-sme-count", "科技型中小企业数量", unit="家"),
    Metric("eaglet-count", "雏鹰企业数量", unit="家"),
    Metric("gazelle-count", "瞪羚企业数量", unit="家"),
    Metric("eaglet-gazelle-count", "雏鹰、瞪羚企业数量", unit="家"),
    Metric("unicorn-count", "独角兽企业数量", unit="家"),
    Metric("patents-per-10k", "每万人发明专利拥有量", unit="件"),
    Metric("tech-contract-turnover", "技术合同成交额", unit="元"),
    Metric("incubator-count", "孵化载体数量", "科技企业孵化器、众创空间、星创天地等", unit="个"),
    Metric("incubated-count", "在孵企业与团队数量", unit="个"),
    Metric("platform-count", "创新平台与研发机构数量", "重点实验室、技术创新中心、工程研究中心等", unit="个"),
    Metric("alliance-count", "产学研联盟、产业技术创新联盟数量", unit="个"),
    Metric("research-project-count", "科技攻关项目数量", unit="项"),
    Metric("talent-team-count", "高层次人才与创新团队数量", unit="个"),
    Metric("talent-count", "高端人才数量", unit="人"),
    Metric("tech-achievement-count", "科技成果转化数量", unit="项"),
    Metric("event-count", "创新创业活动场次", unit="场"),
    Metric("hitech-output-share", "高新技术产业产值或收入占比", unit="%"),
    Metric("tech-progress-contribution", "科技进步贡献率", unit="%"),
    Metric("listed-count", "挂牌、上市企业数量", unit="家"),
    Metric("financial-institution-count", "金融机构数量", unit="家"),
    Metric("fund-count", "基金数量", unit="只"),
    Metric("product-count", "领先技术与产品数量", unit="个"),
    Metric("collaboration-project-count", "协同创新项目数量", unit="项"),
    Metric("operator-count", "运营机构数量", unit="家"),
    Metric("financing-volume", "科技融资额", "科技融资担保金额、知识产权质押融资额等年度业务量", unit="元"),
    Metric("zone-count", "高新区数量", "国家级、省级高新区的个数，及新升级、新增的个数", unit="家"),
    Metric("other", "其他目标"),
)}

QUALIFIERS: dict[str, Term] = _index((
    Term("reach", "达到", "原文没有限定词"),
    Term("exceed", "突破", "突破、超过、超（不含本数）"),
    Term("at-least", "以上", "以上、不低于、不少于、至少（含本数）"),
    Term("about", "左右", "左右、约"),
    Term("nearly", "近", "近（接近但不到）"),
    Term("at-most", "以内", "以内、以下、不超过、最高，以及时间的“内”（三年内）"),
))
"""How a figure is qualified; the build reads the same words from the quote (``figures.QUALIFIER_WORDS``)."""

PERIOD_BASES: dict[str, Term] = _index((
    Term("stated", "原文写明", "规划期的年份写在原文里（标题、正文）"),
    Term("inferred", "推定", "原文没有直接写年份，由原文的说法推定，理由写在 reason 中"),
))

BASES: dict[str, Term] = _index((
    Term("stock", "总量", "到目标年份时的总数或水平"),
    Term("new", "新增", "规划期内新增的数量"),
    Term("baseline", "现状", "文件写明的现有水平（基数），不是目标"),
))

ZONE_FACT_TOPICS: dict[str, Term] = _index((
    Term("industries", "主导产业"),
    Term("management", "管理体制"),
    Term("alliances", "产业技术创新联盟"),
    Term("clusters", "创新型产业集群"),
    Term("labs", "工程研究中心与重点实验室"),
    Term("platforms", "产业专业技术创新平台"),
    Term("makerspaces", "众创空间与孵化器"),
    Term("funds", "股权投资基金"),
    Term("finance", "金融机构与科技金融"),
    Term("talent", "人才强区"),
    Term("other", "其他"),
))

TARGET_SCOPES: dict[str, Term] = _index((
    Term("whole", "全域", "整个城市（或全省）的目标；不写 scope 时即为此"),
    Term("zones", "高新区合计", "城市（或全省）各高新区合起来的目标，如“省级以上高新区R&D经费占GDP比重”"),
    Term("each-zone", "每个高新区", "对每一个高新区的要求，如“每个高新区引进5家以上金融机构”"),
))

CITY_KINDS: dict[str, Term] = _index((
    Term("province", "省"),
    Term("city", "地级市"),
))

# --- the change log (content/changes.yaml) --------------------------------------------

CHANGE_KINDS: dict[str, Term] = _index((
    Term("added", "新增"),
    Term("removed", "删除"),
    Term("changed", "修改"),
))

CHANGED_RECORDS: dict[str, Term] = _index((
    Term("document", "文件"),
    Term("measure", "措施"),
    Term("target", "目标"),
    Term("city", "城市"),
    Term("zone", "高新区"),
    Term("site", "网站设置"),
))
