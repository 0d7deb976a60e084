"""Answers from the shop's own help pages: load, split, index, search, quote (issue 24).

Rasa side only (numpy, the sentence encoder); the hub never imports this package.
pages (what a help page is, loading Markdown/HTML/PDF) -> passages (split at headings,
tables as readable lines) -> analysis (German terms for BM25) + the sentence encoder ->
index (built, cached, saved under var/knowledge) -> search (hybrid ranking, calibrated
confidence, the quoted sentences: the API the dialogue uses).
"""
