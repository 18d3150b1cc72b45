"""The bench's synthetic corpus is valid content: a new kind of content file must be renamed with its copy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from site_gen.build import load_site
from tests.conftest import REAL_CONTENT

CORPUS = Path(__file__).resolve().parent / "bench" / "corpus.py"


def test_two_copies_of_the_real_content_validate(tmp_path):
    out = tmp_path / "k2"
    subprocess.run([sys.executable, str(CORPUS), str(REAL_CONTENT), str(out), "--copies", "2"], check=True,
                   capture_output=True)
    real, copied = load_site(REAL_CONTENT), load_site(out)
    assert len(copied.cities) == 2 * len(real.cities)
    assert len(copied.measures) == 2 * len(real.measures) and len(copied.targets) == 2 * len(real.targets)
    english = [d for d in copied.documents if d.summary_markdown_en]
    assert len(english) == 2 * len([d for d in real.documents if d.summary_markdown_en])
