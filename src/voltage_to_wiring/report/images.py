"""Small copies of figures for the report: at most :data:`MAX_WIDTH` pixels wide, with a
palette of :data:`COLOURS` colours, so that the report of ~90 figures stays a few MB while
results/figures/ keeps the full-size ones.

A line figure needs few colours: 128, without dithering, keeps the anti-aliased lines and
text clean (on the tests' figures, 800 px and 128 colours made 1.5 MB of 5.5 MB of PNGs).
"""

from PIL import Image, UnidentifiedImageError

from ..errors import ConfigError
from ..files import atomic_path

MAX_WIDTH = 800  # px
COLOURS = 128


def shrink(source, output, max_width=MAX_WIDTH, colours=COLOURS):
    """Write a copy of the PNG ``source`` to ``output``, scaled down (Lanczos) to at most
    ``max_width`` pixels wide and reduced to a palette of ``colours``; transparency is laid
    on white. Return the copy's (width, height) in pixels."""
    try:
        with Image.open(source) as image:
            image = image.convert("RGBA")
    except (OSError, UnidentifiedImageError):
        raise ConfigError(
            f"{source} is not a whole PNG figure (missing or truncated?): remove it and "
            "redraw it (snakemake redraws a missing figure)"
        ) from None
    flat = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image).convert("RGB")
    if flat.width > max_width:
        height = max(1, round(flat.height * max_width / flat.width))
        flat = flat.resize((max_width, height), Image.Resampling.LANCZOS)
    small = flat.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    with atomic_path(output) as tmp:
        small.save(tmp, format="PNG", optimize=True)
    return small.size
