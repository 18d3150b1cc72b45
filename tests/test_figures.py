from decimal import Decimal

import pytest

from site_gen.figures import AmountFormatError, find_figures, format_yuan, parse_yuan


@pytest.mark.parametrize("text, yuan", [
    ("50万元", 500_000), ("2.5亿元", 250_000_000), ("1500元", 1500), ("500000", 500_000),
    (" 100 万元 ", 1_000_000), ("0.5万元", 5000), (300, 300),
])
def test_parse_yuan(text, yuan):
    assert parse_yuan(text) == yuan


@pytest.mark.parametrize("bad", ["一百万", "50万美元", "-5万元", "0.00001万元", 2.5, True, None, "1e6"])
def test_parse_yuan_refuses(bad):
    with pytest.raises(AmountFormatError):
        parse_yuan(bad)


@pytest.mark.parametrize("yuan, text", [
    (500_000, "50万元"), (250_000_000, "2.5亿元"), (2_100_000_000, "21亿元"), (1500, "1500元"),
    (16_000, "1.6万元"), (123_456_789, "12345.6789万元"),
])
def test_format_yuan(yuan, text):
    assert format_yuan(yuan) == text


def test_find_figures_reads_units_and_multipliers():
    found = [(f.kind, f.value) for f in find_figures("2024年达到2.16%;资金50万元,面积1.6万平方米,总数翻番")]
    assert found == [
        ("number", Decimal(2)),
        ("number", Decimal(2024)), ("percent", Decimal("2.16")), ("money", Decimal(500000)),
        ("number", Decimal(16000)),
    ]
