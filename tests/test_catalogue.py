"""The English catalogue translates every message id the sources hold, and nothing else."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.conftest import ROOT, REAL_CONTENT
from site_gen.catalogue import vocabulary_messages
from site_gen.render.i18n import EN, po_path


def extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"N_": None, "msg": None, "Msg": None, "_": None, "gettext": None}
    return {found[2] for found in extract_from_dir(str(ROOT), method_map, options_map,
                                                             keywords=keywords) if found[2]}


def test_the_english_catalogue_is_complete_and_has_nothing_left_over():
    with po_path(EN).open("rb") as handle:
        catalogue = read_po(handle)
    entries = {m.id: m for m in catalogue if m.id}
    wanted = extracted()
    assert sorted(wanted - set(entries)) == [], "run `make messages` and translate the new entries"
    assert sorted(set(entries) - wanted) == [], "entries no source uses: run `make messages`"
    untranslated = sorted(i for i, m in entries.items() if not m.string or m.fuzzy)
    assert untranslated == []


def test_every_vocabulary_entry_has_an_english_label():
    with po_path(EN).open("rb") as handle:
        catalogue = read_po(handle)
    for text in vocabulary_messages():
        message = catalogue.get(text)
        assert message is not None and message.string and not message.fuzzy, text


def test_chinese_amounts_read_exactly_as_before(tmp_path):
    from site_gen.build import load_site
    from site_gen.derive.amounts import amount_text, quantity_text, target_value_text, target_year_text
    from site_gen.render.i18n import ZH, Words

    figures = Words(ZH).figures
    site = load_site(REAL_CONTENT)
    for document in site.documents:
        for m in document.measures:
            assert str(figures.amount(m.amount)) == amount_text(m.amount)
            for q in (*m.quantities, *m.thresholds):
                assert str(figures.quantity(q)) == quantity_text(q)
        for t in document.targets:
            assert str(figures.target_value(t)) == target_value_text(t)
            assert str(figures.target_year(t)) == target_year_text(t)
