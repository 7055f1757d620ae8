"""The HTML report's own material (``make report``): tables of every experiment's statistics
and evaluation, the sweeps' tables and the provenance as pages the report shows, and small
copies of the figures, so that the report holds the numbers and stays a few MB.

Nothing here computes a result: it lays out what the pipeline's JSON, CSV and Markdown
outputs hold (:mod:`.tables`, :mod:`.markdown`) and shrinks figures (:mod:`.images`).
"""
