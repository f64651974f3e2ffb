"""Small helpers to write SVG by hand: elements, maths-style labels, numbers, the figure wrapper.

Colours come from Material for MkDocs' CSS variables, so a figure follows the reader's light or
dark scheme; each has a fallback for a page without Material. The output is plain, well-formed
XML built from sorted, fixed inputs: the same arguments give the same string on every run.
"""

from html import escape

# One style sheet, shared by every figure (identical copies on one page do not conflict).
# fg: text and lines; soft: the drawing's quiet parts; hi: what the figure points at.
STYLE = (
    ".bpf text{font-family:var(--md-text-font-family,sans-serif);"
    "font-variant-numeric:tabular-nums;fill:var(--md-default-fg-color,currentColor)}"
    ".bpf .soft{stroke:var(--md-default-fg-color--light,currentColor);fill:none}"
    ".bpf .line{stroke:var(--md-default-fg-color,currentColor);fill:none}"
    ".bpf .unit{stroke:var(--md-default-fg-color,currentColor);"
    "fill:var(--md-default-bg-color,Canvas)}"
    ".bpf .cell{stroke:var(--md-default-fg-color--light,currentColor);fill:none}"
    ".bpf .hi{stroke:var(--md-typeset-a-color,#4051b5)}"
    ".bpf .cell.hi,.bpf .dot.hi{fill:var(--md-typeset-a-color,#4051b5)}"
    ".bpf .dot{fill:var(--md-default-fg-color,currentColor);stroke:none}"
    ".bpf text.hi,.bpf .hi text{fill:var(--md-typeset-a-color,#4051b5);stroke:none}"
    ".bpf text.halo{paint-order:stroke;stroke:var(--md-default-bg-color,Canvas);"
    "stroke-width:4px;stroke-linejoin:round}"
)
SUB_SUP_SIZE = 0.78  # sub- and superscripts, relative to the label's font size


def fmt(value, decimals=3):
    """A number as the figures print it: fixed decimals, a true minus sign, never "-0.000"."""
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = f"{0:.{decimals}f}"
    return text.replace("-", "\u2212")


def parse_number(text):
    """The float a figure's number label shows (the inverse of :func:`fmt`)."""
    return float(text.replace("\u2212", "-"))


def attrs(**values):
    """XML attributes from keyword arguments; ``class_`` is ``class``, ``data_x`` is ``data-x``.

    None values are left out; floats are written with at most two decimals.
    """
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)


def tag(name, content="", **values):
    """One element; empty content gives a self-closing tag."""
    if content == "":
        return f"<{name}{attrs(**values)}/>"
    return f"<{name}{attrs(**values)}>{content}</{name}>"


def rich(parts, size=14):
    """Text content mixing plain text and symbols such as W^{[1]}_{12}, as tspans.

    parts: plain strings and (base, sup, sub) tuples (sup or sub may be None). Indices are
    raised or lowered with tspans and the baseline is restored before the next part, so a
    formula such as ``z[1] = x W[1]`` is one <text> element. Returns the element's inner XML.
    """
    small = round(size * SUB_SUP_SIZE, 1)
    up, down = round(-0.38 * size, 1), round(0.3 * size, 1)
    out, offset, gap = [], 0.0, 0.0  # offset: the baseline's shift; gap: space owed to the next part

    def piece(content, to, **extra):
        nonlocal offset, gap
        dy, dx = round(to - offset, 1), extra.pop("dx", None) or (round(gap, 1) if gap else None)
        offset, gap = to, 0.0
        if not dy and dx is None and not extra:
            return content
        return tag("tspan", content, dy=dy if dy else None, dx=dx, **extra)

    def width(chars):  # rough advance of small text: half an em per character
        return len(chars) * small * 0.5

    for part in parts:
        if isinstance(part, str):
            out.append(piece(escape(part), 0.0))
            continue
        base, sup, sub = part
        if base:  # an empty base continues at the current height: ("", "T", None) after W^{[2]}
            out.append(piece(escape(base), 0.0))
        if sup is not None:
            out.append(piece(escape(sup), up, font_size=small))
        if sub is not None:
            # under the superscript (back to its start), as in typeset maths
            back = -round(width(sup), 1) if sup is not None else None
            out.append(piece(escape(sub), down, font_size=small, dx=back))
            if sup is not None:
                gap = max(0.0, width(sup) - width(sub))
    return "".join(out)


def label(base, sup=None, sub=None, size=14):
    """Text content for one symbol such as W^{[1]}_{12} (see :func:`rich`)."""
    return rich([(base, sup, sub)], size)


def text(x, y, content, size=14, anchor="middle", class_=None, **extra):
    """A <text> element whose content is already XML (from :func:`label` or :func:`escape`)."""
    return tag("text", content, x=float(x), y=float(y), font_size=size, text_anchor=anchor,
               class_=class_, **extra)


def math(tex):
    """Inline maths for a figure's caption, typeset by the build like the page's own."""
    return f'<span class="arithmatex">\\({escape(tex)}\\)</span>'


def svg(body, width, height, title, desc, ident, max_width=None, basis=300, grow=1):
    """An accessible inline SVG: role img, labelled by its title and described by its desc.

    width, height: the viewBox; the drawing scales to the width it gets in the figure's row
    (at least basis CSS pixels when the row has room, else the row's width; grow: its share of
    the room left over), at most max_width CSS pixels (default 1.35 times the viewBox width).
    """
    max_width = max_width or round(1.35 * width)
    return (
        f'<svg class="bpf" xmlns="http://www.w3.org/2000/svg" role="img"'
        f' viewBox="0 0 {width:g} {height:g}" width="100%"'
        f' style="flex:{grow} 1 {basis}px;min-width:0;max-width:{max_width}px;height:auto"'
        f' aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f"<style>{STYLE}</style>{body}</svg>"
    )


def figure(ident, svgs, caption):
    """The block-level wrapper the pages embed: one or more SVGs side by side, then a caption.

    The SVGs sit in a wrapping row: beside each other on a wide screen, stacked on a phone.
    caption is XML (escape plain text; use :func:`math` for symbols).
    """
    row = "".join(svgs)
    return (
        f'<figure class="bpf-figure" id="figure-{ident}" style="width:100%;max-width:100%">'
        f'<div style="display:flex;flex-wrap:wrap;justify-content:center;align-items:center;'
        f'gap:0.5rem 1.5rem;width:100%">{row}</div>'
        f"<figcaption>{caption}</figcaption></figure>"
    )
