"""The provenance report: every output's record, checked against the file, and the environment.

``results/provenance.json`` holds everything; ``results/provenance.md`` is for reading:
a table of outputs with their hashes, then the code version and the environment.
"""

import json
from pathlib import Path

from ..core.code import code_sha256
from ..errors import ConfigError
from ..files import sha256, write_text
from . import record as provenance


def gather(record_paths):
    """Load records and check each output still has the hash its record gives."""
    outputs = []
    for path in sorted(record_paths, key=str):
        try:
            entry = json.loads(Path(path).read_text())
            entry["output"], entry["sha256"]  # noqa: B018  (a record has both)
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ConfigError(
                f"provenance record {path} is not a whole record (truncated or another "
                "file?): remove it and rerun the step that makes its output"
            ) from None
        output = Path(entry["output"])
        if not output.exists():
            entry["status"] = "missing"
        else:
            entry["status"] = "ok" if sha256(output) == entry["sha256"] else "changed since made"
        outputs.append(entry)
    return outputs


def build(record_paths):
    """The whole report as a dict."""
    return {
        "generated": provenance.now(),
        "by": {"user": provenance.user(), **provenance.executor()},
        "git": provenance.git_state(Path(provenance.__file__).resolve().parent),
        "code_sha256": code_sha256(),
        "environment": provenance.environment(),
        "outputs": gather(record_paths),
    }


def _one_line(value):
    """``value`` as text on one line: control characters (a line break in an environment
    variable) written as escapes, so that no value can start a heading or a table row."""
    text = str(value)
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#!"})


def _text(value):
    """``value`` as plain Markdown text: on one line, its Markdown punctuation escaped."""
    return _one_line(value).translate(_MARKDOWN)


def _code(value):
    """``value`` as inline code: on one line, without backticks (which would end it)."""
    return "`" + _one_line(value).replace("`", "'").replace("|", "\\|") + "`"


def _where(entry):
    job = f", Slurm job {_text(entry['slurm_job_id'])}" if entry.get("slurm_job_id") else ""
    return f"{_text(entry.get('executor', 'local'))} on {_text(entry.get('host', '?'))}{job}"


def _git_line(git):
    if not git.get("commit"):
        return f"no git commit known ({_text(git.get('note', 'not a git checkout'))})"
    dirty = {True: "with uncommitted changes", False: "clean", None: "state unknown"}
    changes = "".join(f"\n    - {_code(c.strip())}" for c in git.get("changes", []))
    time = _text(git.get("commit_time"))
    return f"{_code(git['commit'])} ({time}), {dirty[git.get('dirty')]}{changes}"


def markdown(report):
    """provenance.md: outputs table, code version, environment."""
    lines = [
        "# Provenance of the results",
        "",
        f"Report generated {_text(report['generated'])} by {_text(report['by']['user'])} on "
        f"{_text(report['by']['host'])}.",
        "",
        "## Outputs",
        "",
        "| output | experiment | step | sha256 | parameters | code | made | where | status |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for e in report["outputs"]:
        lines.append(
            f"| {_code(e['output'])} | {_text(e.get('experiment') or '')} | "
            f"{_text(e.get('step', ''))} | {_code(e['sha256'][:16])} | "
            f"{_code(e.get('params_hash') or '')} | {_code((e.get('code_sha256') or '')[:16])} "
            f"| {_text(e['finished'])} | {_where(e)} | {_text(e['status'])} |"
        )
    lines += [
        "",
        "The parameters column is the hash of the resolved parameters of the simulation an "
        "output comes from (an inference, its evaluation and figures carry their simulation's; "
        "a sweep's table none): one experiment's outputs share it unless they were made "
        "from other parameters.",
        "",
        "Each output's full record (inputs and their sha256, command line, user, "
        "host, git state when it was made) is in `provenance.json`.",
        "",
        "## Code",
        "",
        f"- git commit: {_git_line(report['git'])}",
        f"- source code (code_sha256): `{report['code_sha256']}`",
    ]
    commits = sorted({e["git"].get("commit") or "unknown" for e in report["outputs"]})
    if commits:
        lines.append(f"- commits that made the outputs: {', '.join(map(_code, commits))}")
    codes = sorted({e.get("code_sha256") or "unknown" for e in report["outputs"]})
    if codes:
        lines.append(f"- source code that made the outputs: {', '.join(map(_code, codes))}")
    env = report["environment"]
    lines += [
        "",
        "## Environment",
        "",
        f"- platform: {_text(env['platform'])}",
        f"- CPU: {_text(env['cpu'])} ({env['cpu_count']} logical cores)",
        f"- Python: {_text(env['python'])} ({_code(env['python_executable'])})",
        "",
        "| package | version |",
        "|---|---|",
    ]
    lines += [f"| {_text(name)} | {_text(version)} |" for name, version in env["packages"].items()]
    return "\n".join(lines) + "\n"


def write(record_paths, json_path, markdown_path):
    """Write provenance.json and provenance.md."""
    report = build(record_paths)
    write_text(json_path, json.dumps(report, indent=2) + "\n")
    write_text(markdown_path, markdown(report))
