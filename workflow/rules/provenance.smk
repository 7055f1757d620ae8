rule report_provenance:
    message:
        "Writing the provenance report"
    input:
        records=all_records(),
        code=code("report_provenance"),
    output:
        json=PATHS["provenance_json"],
        markdown=PATHS["provenance_md"],
    log:
        "logs/report_provenance.log",
    benchmark:
        "logs/report_provenance.benchmark.tsv"
    shell:
        "python -m voltage_to_wiring report_provenance {input.records}"
        " --json {output.json} --markdown {output.markdown} > {log} 2>&1"
