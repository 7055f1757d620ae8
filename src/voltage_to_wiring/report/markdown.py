"""The Markdown that results/provenance.md is written in, as HTML for the report.

Only the subset :func:`voltage_to_wiring.provenance.report.markdown` writes: ``#`` and ``##``
headings, paragraphs, ``-`` lists (nested by four spaces), pipe tables, inline code and
backslash escapes. Every character of the text is escaped, so no value can inject markup.
"""

import html
import re

_PIECES = re.compile(r"`([^`]*)`|\\(.)|([^`\\]+|.)", re.S)


def inline(text):
    """HTML of one line's inline Markdown: `code`, backslash escapes, plain text."""
    out = []
    for code, escaped, plain in _PIECES.findall(text):
        if code:
            out.append(f"<code>{html.escape(code.replace(chr(92) + '|', '|'))}</code>")
        else:
            out.append(html.escape(escaped or plain))
    return "".join(out)


def _cells(line):
    """A table row's cells: split on the pipes that are neither escaped nor in code."""
    cells, current, in_code, i = [], "", False, 0
    body = line.strip()[1:-1] if line.strip().endswith("|") else line.strip()[1:]
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            current += body[i : i + 2]
            i += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append(current.strip())
            current = ""
        else:
            current += char
        i += 1
    return [*cells, current.strip()]


def _table(lines):
    head, *body = [_cells(line) for line in lines if not re.fullmatch(r"\|[-| :]+\|", line)]
    rows = ["<tr>" + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr>"]
    rows += ["<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in body]
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def _list(lines):
    items = []  # [text, [nested texts]]
    for line in lines:
        text = inline(line.strip()[2:])
        if line.startswith("    ") and items:
            items[-1][1].append(text)
        else:
            items.append([text, []])
    html_items = [
        text + ("<ul>" + "".join(f"<li>{n}</li>" for n in nested) + "</ul>" if nested else "")
        for text, nested in items
    ]
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in html_items) + "\n</ul>"


def to_html(text):
    """HTML body of a Markdown text of the subset above, block by block."""
    blocks, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        kind = _kind(line)
        if kind == "blank":
            i += 1
            continue
        if kind == "heading":
            level = len(line) - len(line.lstrip("#"))
            blocks.append(f"<h{level + 1}>{inline(line.lstrip('#').strip())}</h{level + 1}>")
            i += 1
            continue
        j = i + 1
        while j < len(lines) and _continues(kind, lines[j]):
            j += 1
        chunk = lines[i:j]
        if kind == "table":
            blocks.append(_table(chunk))
        elif kind == "list":
            blocks.append(_list(chunk))
        else:
            blocks.append(f"<p>{inline(' '.join(c.strip() for c in chunk))}</p>")
        i = j
    return "\n".join(blocks)


def _kind(line):
    if not line.strip():
        return "blank"
    if line.startswith("#"):
        return "heading"
    if line.startswith("|"):
        return "table"
    if line.startswith("- "):
        return "list"
    return "paragraph"


def _continues(kind, line):
    if kind == "list":
        return line.startswith("- ") or line.startswith("    - ")
    return _kind(line) == kind
