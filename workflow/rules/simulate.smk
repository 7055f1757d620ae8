rule simulate:
    message:
        "Simulating {wildcards.experiment}"
    input:
        params="results/params/{experiment}.json",
        edges=edge_files,
        code=code("simulate"),
    output:
        dataset="results/sims/{experiment}.nc",
        record="results/provenance/sims/{experiment}.nc.json",
    log:
        "logs/simulate/{experiment}.log",
    benchmark:
        "logs/simulate/{experiment}.benchmark.tsv"
    threads: simulation_threads
    shell:
        "python -m voltage_to_wiring simulate --params {input.params} --threads {threads}"
        " --output {output.dataset} --record {output.record} > {log} 2>&1"
