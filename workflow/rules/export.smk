rule export_nwb:
    message:
        "Writing the simulation of {wildcards.experiment} as NWB"
    input:
        dataset=lambda wildcards: path("simulation", experiment=known(wildcards.experiment)),
        code=code("export_nwb"),
    params:
        inference=export_settings,  # with inference.imaging: its frames are written too
    output:
        nwb=PATHS["nwb"],
        record=record(PATHS["nwb"]),
    log:
        "logs/export_nwb/{experiment}.log",
    benchmark:
        "logs/export_nwb/{experiment}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring export_nwb --dataset {input.dataset} --inference -"
        " --output {output.nwb} --record {output.record} > {log} 2>&1"
        " <<'SETTINGS'\n{params.inference}\nSETTINGS"
