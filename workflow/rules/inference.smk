rule infer:
    message:
        "Inferring the inputs of the recorded neurons of {wildcards.experiment}"
    input:
        dataset=simulation,
        linked=linked_files,  # the files a recording's data is in besides its own (HDF5 links)
        code=code("infer"),
        twin=inference_twin,  # an identical inference of another experiment: relabelled
    output:
        inference=PATHS["inference"],
        record=record(PATHS["inference"]),
    params:
        settings=inference_settings,
        params_hash=simulation_params_hash,
    threads: 2  # the tested trains shared (results do not depend on it); at most --cores
    log:
        "logs/infer/{experiment}.log",
    benchmark:
        "logs/infer/{experiment}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring infer --settings - --experiment {wildcards.experiment}"
        " --threads {threads} --dataset {input.dataset} --output {output.inference}"
        " --params-hash '{params.params_hash}'"
        " --same-as '{input.twin}'"
        " --record {output.record}"
        " > {log} 2>&1 <<'SETTINGS'\n{params.settings}\nSETTINGS"


rule evaluate:
    message:
        "Scoring the inference of {wildcards.experiment} against the true wiring"
    input:
        inference=PATHS["inference"],
        code=code("evaluate"),
    output:
        evaluation=PATHS["evaluation"],
        record=record(PATHS["evaluation"]),
    log:
        "logs/evaluate/{experiment}.log",
    benchmark:
        "logs/evaluate/{experiment}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring evaluate --inference {input.inference}"
        " --output {output.evaluation} --record {output.record} > {log} 2>&1"


rule plot_inference:
    message:
        "Drawing {wildcards.inference_figure} of the inference of {wildcards.experiment}"
    input:
        inference=PATHS["inference"],
        code=figure_code,
    output:
        figure=PATHS["inference_figure"],
        record=record(PATHS["inference_figure"]),
    params:
        caption=inference_caption,  # checks the target; the report's copy shows it (report.smk)
    log:
        "logs/plot_inference/{experiment}/{inference_figure}.log",
    benchmark:
        "logs/plot_inference/{experiment}/{inference_figure}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring plot_figure --inference {input.inference}"
        " --figure {wildcards.inference_figure} --output {output.figure}"
        " --record {output.record} > {log} 2>&1"
