rule simulate:
    message:
        "Simulating {wildcards.experiment}"
    input:
        params=PATHS["params"],
        edges=edge_files,
        code=code("simulate"),
    output:
        dataset=PATHS["simulation"],
        record=record(PATHS["simulation"]),
    log:
        "logs/simulate/{experiment}.log",
    benchmark:
        "logs/simulate/{experiment}.benchmark.tsv"
    threads: simulation_threads
    shell:
        "python -m voltage_to_wiring simulate --params {input.params} --threads {threads}"
        " --output {output.dataset} --record {output.record} > {log} 2>&1"
