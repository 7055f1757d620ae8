rule compute_stats:
    message:
        "Computing the statistics of {wildcards.experiment}"
    input:
        dataset=PATHS["simulation"],
        code=code("compute_stats"),
    output:
        stats=PATHS["stats"],
        record=record(PATHS["stats"]),
    log:
        "logs/compute_stats/{experiment}.log",
    benchmark:
        "logs/compute_stats/{experiment}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring compute_stats --dataset {input.dataset}"
        " --output {output.stats} --record {output.record} > {log} 2>&1"


rule tabulate_sweep:
    message:
        "Tabulating sweep {wildcards.sweep}"
    input:
        stats=sweep_files("stats"),
        evaluations=sweep_files("evaluations"),
        code=code("tabulate_sweep"),
    output:
        table=PATHS["sweep_table"],
        record=record(PATHS["sweep_table"]),
    params:
        points=sweep_points_json,
        replicates=sweep_replicates,
    log:
        "logs/tabulate_sweep/{sweep}.log",
    benchmark:
        "logs/tabulate_sweep/{sweep}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring tabulate_sweep --sweep {wildcards.sweep} --points -"
        " --output {output.table} --record {output.record}"
        " --stats {input.stats} --evaluations {input.evaluations}"
        " --replicates {params.replicates} > {log} 2>&1 <<'POINTS'\n{params.points}\nPOINTS"


rule plot_sweep:
    message:
        "Drawing the summary of sweep {wildcards.sweep}"
    input:
        table=PATHS["sweep_table"],
        code=figure_code,
    output:
        figure=PATHS["sweep_figure"],
        record=record(PATHS["sweep_figure"]),
    params:
        points=sweep_points_json,
        replicates=sweep_replicates,
        caption=sweep_caption,  # the report's copy shows it (report.smk)
    log:
        "logs/plot_sweep/{sweep}.log",
    benchmark:
        "logs/plot_sweep/{sweep}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring plot_figure --figure summary --sweep {wildcards.sweep}"
        " --points - --table {input.table} --output {output.figure} --record {output.record}"
        " --replicates {params.replicates} > {log} 2>&1 <<'POINTS'\n{params.points}\nPOINTS"
