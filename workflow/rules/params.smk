rule resolve_params:
    message:
        "Resolving the parameters of {wildcards.experiment}"
    input:
        files=input_files,
        code=code("resolve_params"),
    output:
        params=PATHS["params"],
        record=record(PATHS["params"]),
    params:
        settings=settings,
    log:
        "logs/resolve_params/{experiment}.log",
    benchmark:
        "logs/resolve_params/{experiment}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring resolve_params --settings -"
        " --experiment {wildcards.experiment} --output {output.params}"
        " --record {output.record} > {log} 2>&1 <<'SETTINGS'\n{params.settings}\nSETTINGS"
