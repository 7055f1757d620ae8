"""The config reference of docs/config.md, written from the one source of the config's keys:
the JSON schema (workflow/schemas/config.schema.yaml), whose keys a test holds equal to the
package's (voltage_to_wiring.config.SECTIONS), with their units from the package; and the
table of inference methods of docs/inference.md, from their declarations
(voltage_to_wiring.core.methods).

    python workflow/scripts/config_reference.py          # print the table
    python workflow/scripts/config_reference.py --write  # write it into docs/config.md

`make docs` writes it before building the site; tests/test_docs.py checks docs/config.md holds
what this writes.
"""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))  # the package of this checkout
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
PAGE = ROOT / "docs" / "config.md"
BEGIN = "<!-- config keys: begin (from the schema: workflow/scripts/config_reference.py) -->"
END = "<!-- config keys: end -->"
METHODS_PAGE = ROOT / "docs" / "inference.md"
METHODS_BEGIN = "<!-- methods: begin (core/methods.py, by workflow/scripts/config_reference.py) -->"
METHODS_END = "<!-- methods: end -->"
# What a shared definition ($defs) holds, in a few words.
DEFINITIONS = {
    "quantity": "quantity",
    "array": "array `{unit, values, scale}`",
    "weight": "quantity or `{mean, std}`",
    "synapse_type": "`{v_syn, tau}`",
    "populations": "`{exc, inh}`",
    "neuron_parameters": "mapping of the model's parameters",
    "per_neuron": "quantity, or array of one per neuron (inline or from a file)",
    "method": "method",
}


def package():
    """From the package: {(section, key): SI unit} of its quantities (None: not a quantity),
    {(section, key): default} of the keys whose defaults it holds (the inference's, the neuron
    model's) and {(section, key): values} of those whose values it declares (the models)."""
    from voltage_to_wiring.config import SECTIONS, sim
    from voltage_to_wiring.config.inference import DEFAULTS
    from voltage_to_wiring.core import neurons
    from voltage_to_wiring.units import DIMENSIONS

    units = {(s, k): DIMENSIONS.get(u) for s, keys in SECTIONS.items() for k, u in keys.items()}
    defaults = {("inference", k): f"`{_flow(v)}`" for k, v in DEFAULTS.items()}
    defaults.update({("sim", k): f"`{_flow(v)}`" for k, v in sim.DEFAULTS.items()})
    defaults[("neuron", "model")] = f"`{neurons.DEFAULT}`"
    values = {("neuron", "model"): value({"enum": list(neurons.MODELS)})}
    return units, defaults, values


def methods_table():
    """The inference methods as declared: name, family, default, origin, what it does."""
    from voltage_to_wiring.core import methods

    lines = ["| method | family | default | from | what it tests |", "|---|---|---|---|---|"]
    for m in methods.DECLARED:
        default = "yes" if m.default else ""
        lines.append(f"| `{m.name}` | {m.family} | {default} | {m.origin} | {_text(m.summary)} |")
    return "\n".join(lines) + "\n"


def _flow(data):
    """A default value as YAML flow (as a config would write it)."""
    text = yaml.safe_dump(data, default_flow_style=True, width=1000).strip()
    return text.removesuffix("...").strip()


def value(spec, unit=None):
    """What a key takes, in a few words, from its schema."""
    unit = spec.get("x-dimension", unit)
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[1]
        if name == "quantity" and unit:
            return f"{unit} (quantity)"
        return DEFINITIONS[name]
    if "oneOf" in spec:
        forms = [s for s in spec["oneOf"] if s.get("type") != "null"]
        if len(forms) == 2 and forms[1].get("items") == forms[0]:
            return f"{value(forms[0], unit)}, or a list of them"
        return " or ".join(value(s, unit) for s in forms)
    if "enum" in spec:
        return "one of " + ", ".join(f"`{v}`" for v in spec["enum"])
    if "const" in spec:
        return f"`{spec['const']}`"
    kind = spec.get("type", "mapping")
    if kind == "array":
        if "items" not in spec:
            return "list"
        item, _, bounds = value(spec["items"], unit).partition(" (")
        return f"list of {item}s" + (f" ({bounds}" if bounds else "")
    if kind == "object":
        keys = spec.get("properties")
        return "`{" + ", ".join(keys) + "}`" if keys and len(keys) <= 3 else "mapping"
    bounds = [f">= {spec['minimum']}"] if "minimum" in spec else []
    if "exclusiveMinimum" in spec:
        bounds.append(f"> {spec['exclusiveMinimum']}")
    if "exclusiveMaximum" in spec:
        bounds.append(f"< {spec['exclusiveMaximum']}")
    kind = {"boolean": "true or false"}.get(kind, kind)
    return kind + (f" ({', '.join(bounds)})" if bounds else "")


def _text(text):
    return " ".join(str(text).split()).replace("|", "\\|")


def rows(schema, known, defaults, values):
    """(key, value, meaning, default) of every key of an experiment, in the schema's order
    (``x-default``, ``x-dimension``: annotations of the schema that validation ignores; a default
    the package holds is taken from it)."""
    found = []
    for section, spec in schema["$defs"]["experiment"]["properties"].items():
        for key, sub in spec.get("properties", {}).items():
            meaning = sub.get("description") or spec.get("description", "")
            found.append(
                (f"{section}.{key}",
                 values.get((section, key)) or value(sub, known.get((section, key))), meaning,
                 defaults.get((section, key), _default(sub)))
            )  # fmt: skip
        extra = spec.get("additionalProperties")
        if isinstance(extra, dict):
            found.append(
                (f"{section}.*", value(extra), extra.get("description", ""),
                 _default(extra) or _default(spec))
            )  # fmt: skip
    return found


def _default(spec):
    """A key's ``x-default``: a value in code style, words ("required", "all of it") as is."""
    default = str(spec.get("x-default", ""))
    literal = " " not in default or re.fullmatch(r"-?[0-9.]+ [A-Za-z]+", default)
    return f"`{default}`" if default and literal and default not in WORDS else default


WORDS = ("required", "none")


def table(schema=None):
    """The reference table (Markdown) of every key of an experiment, and of the sweeps."""
    from voltage_to_wiring.core import methods

    schema = schema or yaml.safe_load(SCHEMA.read_text())
    DEFINITIONS["method"] = value({"enum": list(methods.NAMES)})
    lines = ["| key | value | meaning | default |", "|---|---|---|---|"]
    for key, kind, meaning, default in rows(schema, *package()):
        lines.append(f"| `{key}` | {kind} | {_text(meaning)} | {_text(default)} |")
    sweep = schema["properties"]["sweeps"]["additionalProperties"]["properties"]
    for key, spec in sweep.items():
        lines.append(f"| `sweeps.NAME.{key}` | {value(spec)} | {_text(spec['description'])} | |")
    return "\n".join(lines) + "\n"


def between(text, begin, end):
    """The block of ``text`` between two markers (each on a line of its own)."""
    return text[text.index(begin) + len(begin) + 1 : text.index(end)]


def _write(page, begin, end, block):
    text = page.read_text()
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    page.write_text(f"{head}{begin}\n{block}{end}{tail}")


def write():
    """Write the keys' table into docs/config.md and the methods' into docs/inference.md,
    between their markers."""
    _write(PAGE, BEGIN, END, table())
    _write(METHODS_PAGE, METHODS_BEGIN, METHODS_END, methods_table())


if __name__ == "__main__":
    write() if "--write" in sys.argv[1:] else print(table() + "\n" + methods_table(), end="")
