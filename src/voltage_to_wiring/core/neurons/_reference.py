"""The neuron models' reference (for docs/config.md), written from the declarations.

:func:`markdown` gives, per model: what it is, its equations, its parameters (config key,
unit, meaning, sanity rule) and its state variables. A test keeps docs/config.md's copy of it
current (``tests/test_neuron_models.py``).
"""

from ...units import EXAMPLES, pretty


def markdown(models, default):
    """The reference of ``models`` ({name: NeuronModel}) as Markdown; ``default``: the model
    an experiment gets without ``neuron.model``."""
    lines = []
    for name, model in models.items():
        marker = " (the default)" if name == default else ""
        lines += [f"### `{name}`{marker}: {model.summary}", "", f"{model.reference}.", ""]
        lines += ["```text", *model.equations, "```", ""]
        lines += ["| key | unit | meaning | rule |", "|---|---|---|---|"]
        rules = {r.low: f"below {r.high}" for r in model.rules}
        for p in model.parameters:
            rule = ", ".join(x for x in ("> 0" if p.positive else "", rules.get(p.name, "")) if x)
            unit = EXAMPLES.get(p.unit, pretty(p.unit))
            lines.append(f"| `{p.name}` | {unit} | {p.meaning} | {rule} |")
        lines += ["", "| state | unit | meaning | initial | recorded as |", "|---|---|---|---|---|"]
        for s in model.state:
            initial = f"`{s.initial}`" if isinstance(s.initial, str) else f"{s.initial:g}"
            recorded = f"`{s.name}`" if s.recordable else "not recordable"
            lines.append(
                f"| `{s.name}` | {s.display_units} | {s.long_name} | {initial} | {recorded} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
