"""`metanorm report`: what a dataset looked like, and what normalizing it changed.

`figures` gathers bounded counts and samples from canonical records, `page` renders them
as one self-contained HTML page (charts from `svg`, sample diffs from `diffs`), and
`command` is the CLI entry.
"""
