rule infer:
    message:
        "Inferring the inputs of the recorded neurons of {wildcards.experiment}"
    input:
        dataset=simulation,
        code=code("infer"),
        twin=inference_twin,  # an identical inference of another experiment: relabelled
    output:
        inference="results/inference/{experiment}.nc",
        record="results/provenance/inference/{experiment}.nc.json",
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
        inference="results/inference/{experiment}.nc",
        code=code("evaluate"),
    output:
        evaluation="results/evaluation/{experiment}.json",
        record="results/provenance/evaluation/{experiment}.json.json",
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
        inference="results/inference/{experiment}.nc",
        code=code("plot_inference"),
    output:
        figure=report(
            "results/figures/{experiment}/{inference_figure}.png",
            caption="../report/caption.rst",
            category="Inference",
            subcategory="{experiment}",
            labels={"experiment": "{experiment}", "figure": "{inference_figure}"},
        ),
        record="results/provenance/figures/{experiment}/{inference_figure}.png.json",
    params:
        caption=inference_caption,
    log:
        "logs/plot_inference/{experiment}/{inference_figure}.log",
    benchmark:
        "logs/plot_inference/{experiment}/{inference_figure}.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring plot_inference --inference {input.inference}"
        " --figure {wildcards.inference_figure} --output {output.figure}"
        " --record {output.record} > {log} 2>&1"
