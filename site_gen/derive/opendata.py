"""Open data: one record per measure, target and document, as JSON and CSV.

A record's values come from the record itself: each published field declares
its column where it is defined (:mod:`site_gen.records`, ``column=``), and
:func:`record_columns` collects them, nested records (the amount, the
citations, the period) flattened with their prefix.  What the records do not
hold (the link to the paragraph, the amount in words, the validity's end) is
added from the derived views.  The column lists below give the published
order and the description shown on the about page; a test checks that they
and the records' columns are the same set, so a field published in
:mod:`site_gen.records` cannot be left undocumented.  Amounts are whole yuan.
CSV is UTF-8 with a byte-order mark so spreadsheet software reads Chinese,
and no cell can start a formula there (see :func:`spreadsheet_safe`).
"""

from __future__ import annotations

from site_gen.words import N_

import csv
import datetime as dt
import io
import json
import re
from json.encoder import encode_basestring
from decimal import Decimal
from typing import Any, Iterable, Iterator

from site_gen.derive.views import DocumentView, MeasureView, TargetView
from site_gen.records import Record, field_column

MEASURE_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", N_("措施编号：文件id/措施id，稳定不变")),
    ("city", N_("适用城市代码（拼音），省级为 liaoning")),
    ("zone", N_("适用的高新区代码；不限于某个高新区时为空")),
    ("district", N_("适用的县（区）；全市适用时为空")),
    ("document_id", N_("出自哪份文件")),
    ("category", N_("类别代码，见分类词表")),
    ("kind", N_("支持方式代码（比较表的行），见分类词表")),
    ("level", N_("所依据的级别：national 国家级、provincial 省级、municipal 市级、county 县级")),
    ("title", N_("措施名称（本站概括）")),
    ("title_en", N_("措施名称英文（编辑撰写；空为尚未翻译）")),
    ("amount_kind", N_("金额形式：fixed 固定、range 区间、tiers 分档、percent 比例、per-unit 按数量、benefit 非资金、unstated 未明确")),
    ("amount_text", N_("金额的中文写法")),
    ("value_yuan", N_("固定金额或按数量的单价（元）")),
    ("min_yuan", N_("下限（元）")),
    ("max_yuan", N_("上限（元）")),
    ("tiers_yuan", N_("分档金额（元）")),
    ("over_years", N_("分档资助的年限")),
    ("percent", N_("比例（%）")),
    ("percent_of", N_("比例的计算基数")),
    ("percent_up_to", N_("比例是否为“不超过”")),
    ("cap_yuan", N_("封顶金额（元）")),
    ("per_unit", N_("按什么计数")),
    ("benefit", N_("非资金支持的内容")),
    ("quantity_what", N_("措施写明的其他数量（面积、个数、期限）：计量的是什么；多项时每项一行")),
    ("quantity_value", N_("其他数量的数值（与 quantity_unit 一起读，如 1.6 万平方米）；区间时为空")),
    ("quantity_min", N_("其他数量为区间时的下限")),
    ("quantity_max", N_("其他数量为区间时的上限")),
    ("quantity_unit", N_("其他数量的单位：平方米、万平方米、亩、家、只、个、年、人、元……")),
    ("quantity_qualifier", N_("其他数量的限定：reach 达到、at-least 以上、exceed 超过、at-most 以内、about 左右、nearly 近")),
    ("beneficiaries", N_("支持对象")),
    ("conditions", N_("条件")),
    ("threshold_what", N_("以数字表示的门槛：比较的是什么（如 单笔技术合同额）")),
    ("threshold_value", N_("门槛的数值（金额为元）")),
    ("threshold_min", N_("门槛为区间时的下限")),
    ("threshold_max", N_("门槛为区间时的上限")),
    ("threshold_unit", N_("门槛的单位")),
    ("threshold_qualifier", N_("门槛的比较方式：at-least 以上/不低于（含本数）、exceed 超过、at-most 以内/不超过")),
    ("note", N_("本站的说明（如原文数字的歧义、年份的来源）")),
    ("valid_until", N_("有效期截止日（原文写明有效期时）")),
    ("locator", N_("原文位置，如 附件3/三/6")),
    ("quote", N_("原文摘录，…表示省略")),
    ("quote_document", N_("摘录出自哪份文件")),
    ("url", N_("原文段落的链接（相对于网站根目录）")),
    ("conditions_locator", N_("条件另有出处时，其原文位置")),
    ("conditions_quote", N_("条件的原文摘录")),
    ("conditions_quote_document", N_("条件摘录出自哪份文件")),
    ("also_locator", N_("同一措施的其他出处：原文位置；多处时每处一行")),
    ("also_quote", N_("其他出处的原文摘录")),
    ("also_quote_document", N_("其他出处摘录出自哪份文件")),
    ("also_url", N_("其他出处段落的链接")),
)
TARGET_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", N_("目标编号：文件id/目标id")),
    ("city", N_("城市代码")),
    ("zone", N_("高新区代码；全市目标为空")),
    ("district", N_("县（区）；全市目标为空")),
    ("scope", N_("范围：whole 整个城市（或全省）、zones 各高新区合计、each-zone 每个高新区")),
    ("document_id", N_("出自哪份文件")),
    ("metric", N_("指标代码，见分类词表")),
    ("label", N_("原文中的指标说法（与指标名称不同时）")),
    ("label_en", N_("指标说法英文（编辑撰写；空为尚未翻译）")),
    ("value", N_("目标数值（金额为元）；用文字表述的目标、区间目标为空")),
    ("min", N_("区间目标的下限，如 1—2场 的 1")),
    ("max", N_("区间目标的上限，如 1—2场 的 2")),
    ("unit", N_("单位：%、家、件、个、元……")),
    ("value_text", N_("目标的中文写法，如 突破260家、1—2场、近30%")),
    ("year", N_("目标年份；原文未写明时为空")),
    ("year_approximate", N_("原文写作“到某年左右”时为 true")),
    ("horizon_what", N_("期限所指（通常为空）")),
    ("horizon_value", N_("原文给出的期限，如 三年内 的 3")),
    ("horizon_min", N_("期限为区间时的下限，如 经过3—5年 的 3")),
    ("horizon_max", N_("期限为区间时的上限")),
    ("horizon_unit", N_("期限的单位（年）")),
    ("horizon_qualifier", N_("期限的限定：at-most 为“……内”")),
    ("qualifier", N_("reach 达到、exceed 突破/超过、at-least 以上/不低于、about 左右、nearly 近、at-most 以内/不超过")),
    ("strive", N_("原文为“力争”时为 true")),
    ("basis", N_("stock 总量、new 新增、baseline 现状（文件写明的现有水平，不是目标）")),
    ("quantity_what", N_("目标写明的其他数量：计量的是什么；多项时每项一行")),
    ("quantity_value", N_("其他数量的数值")),
    ("quantity_min", N_("其他数量为区间时的下限")),
    ("quantity_max", N_("其他数量为区间时的上限")),
    ("quantity_unit", N_("其他数量的单位")),
    ("quantity_qualifier", N_("其他数量的限定")),
    ("threshold_what", N_("计入目标的门槛：比较的是什么（如 产值规模）")),
    ("threshold_value", N_("门槛的数值（金额为元）")),
    ("threshold_min", N_("门槛为区间时的下限")),
    ("threshold_max", N_("门槛为区间时的上限")),
    ("threshold_unit", N_("门槛的单位")),
    ("threshold_qualifier", N_("门槛的比较方式：at-least 以上、exceed 超过、at-most 以内")),
    ("note", N_("本站的说明（如原文数字的歧义、年份的来源）")),
    ("locator", N_("原文位置")),
    ("quote", N_("原文摘录")),
    ("quote_document", N_("摘录出自哪份文件")),
    ("url", N_("原文段落的链接")),
    ("year_locator", N_("年份另有出处时（如表题），其原文位置")),
    ("year_quote", N_("年份的原文摘录")),
    ("year_quote_document", N_("年份摘录出自哪份文件")),
    ("also_locator", N_("同一目标的其他出处（如正文、附件与任务分解表重复写明的同一目标）：原文位置；多处时每处一行")),
    ("also_quote", N_("其他出处的原文摘录")),
    ("also_quote_document", N_("其他出处摘录出自哪份文件")),
    ("also_url", N_("其他出处段落的链接")),
)
DOCUMENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", N_("文件编号")),
    ("city", N_("发文城市代码，省级为 liaoning")),
    ("title", N_("标题")),
    ("short_title", N_("简称")),
    ("title_en", N_("标题英文（编辑撰写；空为尚未翻译）")),
    ("short_title_en", N_("简称英文")),
    ("title_supplied", N_("原文缺少标题、标题为本站拟定时为 true")),
    ("issuer", N_("发文机关；原文未载明时为空")),
    ("number", N_("文号；原文未载明时为空")),
    ("issued", N_("印发日期（YYYY-MM-DD）；原文未载明时为空")),
    ("period_start", N_("规划期起始年")),
    ("period_end", N_("规划期结束年")),
    ("period_basis", N_("规划期的依据：stated 原文写明、inferred 推定")),
    ("period_reason", N_("规划期为推定时的理由")),
    ("period_locator", N_("规划期的原文位置（推定时为推定所依据的原文）")),
    ("period_quote", N_("规划期的原文摘录")),
    ("period_quote_document", N_("规划期摘录出自哪份文件")),
    ("valid_for_years", N_("文件写明的有效期（年，自印发之日起）")),
    ("valid_for_locator", N_("有效期的原文位置")),
    ("valid_for_quote", N_("有效期的原文摘录")),
    ("valid_for_quote_document", N_("有效期摘录出自哪份文件")),
    ("non_commitment_reason", N_("原文中不是目标或措施的数字（名称、国外战略、报送节奏等）及理由；多项时每项一行")),
    ("non_commitment_locator", N_("这些数字的原文位置")),
    ("non_commitment_quote", N_("这些数字的原文摘录")),
    ("non_commitment_quote_document", N_("摘录出自哪份文件")),
    ("source_url", N_("存档原文所来自的官方网页；未记录时为空")),
    ("retrieved", N_("存档原文的获取日期（YYYY-MM-DD）；未记录时为空")),
    ("past_period", N_("生成网站时是否已过规划期")),
    ("measures", N_("措施数")),
    ("targets", N_("目标数")),
    ("url", N_("文件页面（相对于网站根目录）")),
    ("source_text", N_("存档原文纯文本")),
    ("source_sha256", N_("存档原文纯文本的 SHA-256（十六进制），可用来核对下载的原文未被改动")),
)


def _plain(value: Any) -> Any:
    """A value as JSON holds it: numbers as numbers, dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def record_columns(record: Record, prefix: str = "") -> dict[str, Any]:
    """Every published value of ``record``, by the column its field declares.

    A nested record's field declares a prefix instead (``""`` for the amount
    and the citation, ``conditions_`` for ``conditions_source``).  A list of
    records (quantities, thresholds, ``also_cited``) is published as parallel
    lists, one per column of the item: ``quantity_value: [1.6]``,
    ``quantity_unit: ["万平方米"]``.
    """
    out: dict[str, Any] = {}
    for name, column, item_columns, nested in _column_plan(type(record)):
        value = getattr(record, name)
        if isinstance(value, Record):
            out.update(record_columns(value, prefix + column))
        elif item_columns is not None:
            rows = [record_columns(item) for item in value]
            for key in item_columns:
                out[prefix + column + key] = [row.get(key) for row in rows]
        elif value is None and nested:
            continue
        else:
            out[prefix + column] = _plain(value)
    return out


_Plan = tuple[tuple[str, str, "tuple[str, ...] | None", bool], ...]
_PLANS: dict[type[Record], _Plan] = {}
_COLUMN_NAMES: dict[tuple[type[Record], str], tuple[str, ...]] = {}


def _column_plan(model: type[Record]) -> _Plan:
    """What :func:`record_columns` reads of a record type, worked out once per type: each published
    field's name, its column, the item columns of a list of records (else None), and whether it is an
    optional nested record."""
    plan = _PLANS.get(model)
    if plan is None:
        entries = []
        for name, info in model.model_fields.items():
            column = field_column(info)
            if column is None:
                continue
            item_type = _record_items(info)
            item_columns = _names(item_type, "") if item_type is not None else None
            entries.append((name, column, item_columns, _nested(info)))
        plan = _PLANS[model] = tuple(entries)
    return plan


def column_names(model: type[Record], prefix: str = "") -> list[str]:
    """The columns a record type publishes, nested records (every kind of amount) and lists flattened."""
    return list(_names(model, prefix))


def _names(model: type[Record], prefix: str) -> tuple[str, ...]:
    """:func:`column_names`, worked out once per record type and prefix."""
    key = (model, prefix)
    found_names = _COLUMN_NAMES.get(key)
    if found_names is None:
        names: list[str] = []
        for info in model.model_fields.values():
            column = field_column(info)
            if column is None:
                continue
            items = _record_items(info)
            nested = [items] if items else _record_types(info.annotation)
            found = [n for kind in nested for n in _names(kind, prefix + column)] if nested else [prefix + column]
            names += [n for n in found if n not in names]
        found_names = _COLUMN_NAMES[key] = tuple(names)
    return found_names


def _record_types(annotation: Any) -> list[type[Record]]:
    """The record types an annotation names, through Optional, Union and Annotated."""
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, Record):
        return [annotation]
    return [t for arg in get_args(annotation) for t in _record_types(arg)]


def _record_items(info: Any) -> type[Record] | None:
    """The item type of a list-of-records field, else None."""
    from typing import get_args, get_origin

    if get_origin(info.annotation) is not list:
        return None
    (item,) = get_args(info.annotation)
    return item if isinstance(item, type) and issubclass(item, Record) else None


def _nested(info: Any) -> bool:
    """True for an optional nested record (its columns are simply absent when it is)."""
    from typing import get_args

    return any(isinstance(a, type) and issubclass(a, Record) for a in get_args(info.annotation))


def _complete(values: dict[str, Any], described: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The documented columns, in order; a column the record leaves empty is None."""
    return {name: values.get(name) for name, _ in described}


def measure_records(views: list[MeasureView]) -> list[dict[str, Any]]:
    return [_complete({
        **record_columns(view.record),
        "id": f"{view.document_id}/{view.id}",
        "amount_text": view.amount_text,
        "valid_until": view.valid_until.isoformat() if view.valid_until else None,
        "url": view.citation.href,
        "also_url": [c.href for c in view.also_citations],
    }, MEASURE_FIELDS) for view in views]


def target_records(views: list[TargetView]) -> list[dict[str, Any]]:
    return [_complete({
        **record_columns(view.record),
        "id": f"{view.document_id}/{view.id}",
        "value_text": view.value_text,
        "url": view.citation.href,
        "also_url": [c.href for c in view.also_citations],
    }, TARGET_FIELDS) for view in views]


def document_records(views: list[DocumentView]) -> list[dict[str, Any]]:
    return [_complete({
        **record_columns(view.record),
        "past_period": view.past_period,
        "measures": len(view.measures),
        "targets": len(view.targets),
        "url": view.href,
        "source_text": f"data/sources/{view.id}.txt",
    }, DOCUMENT_FIELDS) for view in views]


def to_json(records: list[dict[str, Any]]) -> bytes:
    """The records as a JSON list, two spaces to the level.

    The result is ``json.dumps(records, ensure_ascii=False, indent=2)``,
    record by record (:func:`json_fragment`): JSON strings hold no raw line
    break, so indenting each record's lines by one level is exactly what the
    whole list's encoding does.  ``site-gen serve`` joins the fragments it
    remembers the same way (:mod:`site_gen.render.datafiles`).
    """
    return b"".join(json_parts(records))


def json_parts(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """:func:`to_json`'s bytes, a record at a time, the records read as they come (a build writes them so)."""
    number = -1
    for number, record in enumerate(records):
        yield (b"[\n" if number == 0 else b",\n") + json_fragment(record).encode("utf-8")
    yield b"[]\n" if number < 0 else b"\n]\n"


def json_fragment(record: dict[str, Any]) -> str:
    """One record as it stands in the list :func:`to_json` writes.

    That is ``json.dumps(record, ensure_ascii=False, indent=2)`` one level in,
    written here directly: with ``indent`` the json module encodes in pure
    Python, value by value, and the open data is the largest output of a build.
    Text, numbers and the rest are still encoded by the json module itself.
    """
    try:
        return "  " + _indented(record, "  ")
    except _Unusual:
        return "  " + json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")


class _Unusual(Exception):
    """A value :func:`_indented` leaves to the json module (a key that is not text)."""


def _indented(value: Any, pad: str) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, its lines after the
    first indented by ``pad``."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = pad + "  "
        items = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            # text and null, most of a record, without a call each
            text = encode_basestring(item) if type(item) is str else "null" if item is None else _indented(item, inner)
            items.append(f"{inner}{encode_basestring(key)}: {text}")
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = pad + "  "
        return "[\n" + ",\n".join(
            inner + (encode_basestring(item) if type(item) is str else _indented(item, inner)) for item in value
        ) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)  # a number (or what json refuses, as it refuses it)


def _cell(value: Any) -> str:
    """A CSV cell.  A list of numbers is joined with ``;`` (100;200), a list holding text one item a
    line (quotes may hold ``;``); a missing item of a list is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        text = any(isinstance(v, str) for v in value)
        return ("\n" if text else ";").join(_cell(v) for v in value)
    return str(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula.

    Content comes from outsiders, and Excel, LibreOffice and Google Sheets run
    a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
    return before one) as a formula, which can fetch URLs or run commands.  As
    OWASP recommends, such a cell gets a leading ``'``, which spreadsheets
    read as "text follows".  A plain number such as ``-5`` is left alone: a
    spreadsheet reads it as the number it is.
    """
    if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def to_table_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """CSV with a header row, UTF-8 with BOM, CRLF line ends (RFC 4180), formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_line(row: list[str]) -> str:
    """One row as :func:`to_table_csv` writes it (a CSV writer keeps no state between rows)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def to_csv(records: list[dict[str, Any]], described: tuple[tuple[str, str], ...]) -> bytes:
    """One record per row, the columns in the documented order (a row is :func:`record_line`)."""
    fields = [name for name, _ in described]
    return to_table_csv(fields, [[_cell(record.get(f)) for f in fields] for record in records])


def record_line(record: dict[str, Any], described: tuple[tuple[str, str], ...]) -> str:
    """A record's row of :func:`to_csv`."""
    return csv_line([_cell(record.get(name)) for name, _ in described])
