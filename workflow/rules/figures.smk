rule plot_figure:
    message:
        "Drawing {wildcards.figure} of {wildcards.experiment}"
    input:
        dataset=PATHS["simulation"],
        code=figure_code,
    output:
        figure=PATHS["figure"],
        record=record(PATHS["figure"]),
    params:
        caption=figure_caption,  # checks the target; the report's copy shows it (report.smk)
    log:
        "logs/plot_figure/{experiment}/{figure}.log",
    benchmark:
        "logs/plot_figure/{experiment}/{figure}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring plot_figure --dataset {input.dataset}"
        " --figure {wildcards.figure} --output {output.figure}"
        " --record {output.record} > {log} 2>&1"
