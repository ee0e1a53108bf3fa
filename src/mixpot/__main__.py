"""``python -m mixpot``: the command-line interface (same as the ``mixpot`` command)."""

from mixpot.cli import app

app(prog_name="mixpot")
