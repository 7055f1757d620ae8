# The HTML report's own material, made only when the report is asked for (`make report`:
# `snakemake report_contents`, then `snakemake --report results/report.html report_contents`):
# small copies of the figures and the tables. `snakemake` alone (`make run`) makes none.


rule report_figure:
    message:
        "Making the report's copy of {wildcards.shown}"
    input:
        figure=shown_field("figure"),
        code=code("report_figure"),
    output:
        figure=report(
            PATHS["report_figure"],
            caption="../report/caption.rst",
            category=shown_field("category"),
            subcategory=shown_field("subcategory"),
            labels=shown_field("labels"),
        ),
    params:
        caption=shown_field("caption"),
    wildcard_constraints:
        shown=".+",
    log:
        "logs/report_figure/{shown}.log",
    benchmark:
        "logs/report_figure/{shown}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring report_figure --figure {input.figure}"
        " --output {output.figure} > {log} 2>&1"


rule report_tables:
    message:
        "Tabulating every experiment's statistics and evaluation, the sweeps and the provenance"
    input:
        stats=[path("stats", experiment=name) for name in PLAN.params],
        evaluations=[path("evaluation", experiment=name) for name in PLAN.inference],
        sweeps=[path("sweep_table", sweep=sweep) for sweep in PLAN.sweeps],
        provenance=PATHS["provenance_md"],
        code=code("report_tables"),
    output:
        statistics_table=PATHS["report_statistics_table"],
        statistics_page=report(
            PATHS["report_statistics_page"],
            caption="../report/statistics.rst",
            category="Tables",
            labels={"table": "statistics"},
        ),
        evaluation_table=PATHS["report_evaluation_table"],
        evaluation_page=report(
            PATHS["report_evaluation_page"],
            caption="../report/evaluation.rst",
            category="Tables",
            labels={"table": "evaluation"},
        ),
        provenance_page=report(
            PATHS["report_provenance_page"],
            caption="../report/provenance.rst",
            category="Provenance",
        ),
        sweep_pages=report(
            directory(PATHS["report_sweep_pages"]),
            patterns=["{sweep}.html"],
            caption="../report/sweep_table.rst",
            category="Sweeps",
            subcategory="{sweep}",
            labels={"sweep": "{sweep}", "item": "table"},
        ),
    log:
        "logs/report_tables.log",
    benchmark:
        "logs/report_tables.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring report_tables --stats {input.stats}"
        " --evaluations {input.evaluations} --sweeps {input.sweeps}"
        " --provenance {input.provenance}"
        " --statistics-table {output.statistics_table} --statistics-page {output.statistics_page}"
        " --evaluation-table {output.evaluation_table} --evaluation-page {output.evaluation_page}"
        " --provenance-page {output.provenance_page} --sweep-pages {output.sweep_pages}"
        " > {log} 2>&1"


# What the report shows: `snakemake report_contents` makes it (and everything it needs).
rule report_contents:
    localrule: True
    input:
        rules.report_tables.output,
        report_outputs(),
