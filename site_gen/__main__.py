"""``python -m site_gen`` is ``site-gen``."""

from site_gen.cli import run

run()
