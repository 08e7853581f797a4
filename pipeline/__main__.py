"""``python -m pipeline`` is the ``transcripts`` command."""
from .cli import main

main()
