# voltage_to_wiring: config.yaml -> parameters -> simulations -> figures -> provenance report.
# This file only wires things together; helpers live in workflow/rules/common.smk.
from snakemake.utils import min_version, validate

min_version("9.0")


include: "workflow/rules/common.smk"


# Snakemake's own YAML error does not say where; ours names the file, line and column.
check_yaml("config.yaml")


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


# Every experiment is resolved (units, shapes, files) before any job runs; a problem stops
# here with a message naming the experiment and the key. Then the JSON schema, as a contract.
PLAN = resolve_all(config)
validate(accepted(config, PLAN), "workflow/schemas/config.schema.yaml")


include: "workflow/rules/params.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/stats.smk"
include: "workflow/rules/inference.smk"
include: "workflow/rules/export.smk"
include: "workflow/rules/provenance.smk"
include: "workflow/rules/report.smk"


# Cheap jobs stay on the machine running Snakemake when a cluster executor is used (a job of
# a fraction of a second would wait in a queue far longer than it runs).
localrules:
    all,
    resolve_params,
    plot_figure,
    compute_stats,
    tabulate_sweep,
    plot_sweep,
    evaluate,
    plot_inference,
    report_provenance,
    report_tables,
    report_figure,


rule all:
    default_target: True
    input:
        all_outputs(),
        PATHS["provenance_json"],
        PATHS["provenance_md"],


# `snakemake NAME`: one experiment or sweep of the config, and what it needs, by its name
# (an experiment's simulation, statistics, inference, evaluation and figures; a sweep's
# points, table and summary figure). provenance.md is brought up to date after any run.
for _target, _outputs in named_targets().items():

    rule:
        name:
            _target
        localrule: True
        input:
            _outputs,


onsuccess:
    refresh_provenance()
