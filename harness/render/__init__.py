"""Floor 9, renderers: pure functions from results (or a verdict) to text: table, markdown and CSV
(`table`), verdicts and JUnit (`verdict`), the HTML page (`html`, `html_assets`, `drilldown`),
`explain`, comparisons, and names made visible (`names`).
"""
