"""Placeholder product pictures: small SVG drawings of a device, by category and colour.

The drawings are self-contained (no script, no link, no external font or image), so they
are safe to serve from the media storage and render the same offline.
"""

from __future__ import annotations

import zlib
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

FOLDER = "catalog/seed"
BACKGROUND = "#f3f4f6"
SCREEN = "#1f2937"

# Colour words in marketing names -> a hex value; longer words are tried first.
COLOUR_WORDS: dict[str, str] = {
    "midnight green": "#4e5851", "space grey": "#7d7e80", "space gray": "#7d7e80",
    "space black": "#2e2c2e", "jet black": "#1b1b1d", "rose gold": "#e8c1b4",
    "(product)red": "#c8102e", "midnight": "#232a31", "starlight": "#f0e4d3",
    "graphite": "#54524f", "obsidian": "#1f2326", "charcoal": "#36454f", "carbon": "#333333",
    "black": "#222222", "porcelain": "#f0ece4", "snow": "#f4f4f2", "chalk": "#eeeae2",
    "pearl": "#ece9e2", "white": "#f5f5f0", "silver": "#d9dadc", "platinum": "#d5d6d8",
    "aluminium": "#c8c9cc", "titanium": "#b8b3aa", "tungsten": "#6f6f6f", "steel": "#71797e",
    "champagne": "#e9d8b6", "gold": "#e6cfa7", "bronze": "#a97142", "copper": "#b87333",
    "burgundy": "#6d2234", "magenta": "#b0306a", "red": "#c62f3b", "coral": "#f27f6a",
    "peach": "#f6c6a8", "pink": "#f3c5d3", "rose": "#eac4c8", "lilac": "#c8a2c8",
    "lavender": "#c8b8e0", "purple": "#9b87c4", "violet": "#8f7ac0", "ultramarine": "#4f5fd8",
    "sapphire": "#2f4f8f", "navy": "#263a5e", "denim": "#4a6583", "sky": "#a6c4de",
    "ice": "#cfe3ef", "aqua": "#7fc8c6", "teal": "#4d9a9a", "blue": "#5b7fb5",
    "emerald": "#2f7d5b", "forest": "#3f6b4a", "jade": "#7fb7a0", "mint": "#b6dcc5",
    "sage": "#a6b79b", "olive": "#7d8461", "moss": "#6d7b4f", "lime": "#cde27a",
    "green": "#5f8f6a", "yellow": "#f4d35e", "lemon": "#f6e27f", "orange": "#f08a4b",
    "cream": "#f3ead3", "beige": "#e6d8c0", "sand": "#d8c3a5", "umber": "#6b4f3a",
    "hazel": "#9a8f7c", "storm": "#5f6670", "slate": "#5d6770", "grey": "#8e8e93",
    "gray": "#8e8e93", "transparent": "#dfe6ea",
}  # fmt: skip
_WORDS_LONGEST_FIRST = sorted(COLOUR_WORDS, key=len, reverse=True)
# A few families, for the shared pictures of the load-test sizes.
PALETTE = ("#222222", "#f5f5f0", "#d9dadc", "#8e8e93", "#e6cfa7", "#5b7fb5", "#5f8f6a",
           "#f3c5d3", "#9b87c4", "#c62f3b")  # fmt: skip
BRAND_ACCENTS: dict[str, str] = {
    "Apple": "#6e6e73", "Samsung": "#1428a0", "Google": "#4285f4", "Xiaomi": "#ff6900",
    "OnePlus": "#eb0029", "Huawei": "#c7000b", "Sony": "#3a3a3a", "Motorola": "#5c92fa",
    "Nothing": "#d71921", "Fairphone": "#2f6a4f", "Lenovo": "#e2231a", "Dell": "#007db8",
    "HP": "#0096d6", "Microsoft": "#737373", "Nintendo": "#e60012", "Garmin": "#007cc3",
    "Bose": "#2b2b2b", "JBL": "#ff3300", "Canon": "#cc0000", "Nikon": "#ffe100",
    "Fujifilm": "#00a95c", "Kobo": "#bf0000", "Amazon": "#ff9900",
}  # fmt: skip


def colour_hex(colour: str) -> str:
    """Return a hex colour for a marketing colour name such as "Sierra Blue"."""
    lowered = colour.lower()
    for word in _WORDS_LONGEST_FIRST:
        if word in lowered:
            return COLOUR_WORDS[word]
    return PALETTE[zlib.crc32(lowered.encode()) % len(PALETTE)]


def palette_index(hex_colour: str) -> int:
    """Return the index of the palette entry closest to ``hex_colour``."""
    rgb = _rgb(hex_colour)
    return min(
        range(len(PALETTE)),
        key=lambda i: sum((a - b) ** 2 for a, b in zip(_rgb(PALETTE[i]), rgb, strict=True)),
    )


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = int(hex_colour.lstrip("#"), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


def _darker(hex_colour: str, share: float = 0.35) -> str:
    r, g, b = (round(c * (1 - share)) for c in _rgb(hex_colour))
    return f"#{r:02x}{g:02x}{b:02x}"


def _drawing(category: str, body: str, accent: str) -> str:
    edge = _darker(body)
    shape = f'fill="{body}" stroke="{edge}" stroke-width="3"'
    drawings = {
        "smartphones": (
            f'<rect x="175" y="50" width="130" height="270" rx="24" {shape}/>'
            f'<rect x="186" y="64" width="108" height="242" rx="14" fill="{SCREEN}"/>'
            f'<circle cx="240" cy="185" r="38" fill="{accent}" opacity="0.6"/>'
            f'<rect x="222" y="72" width="36" height="9" rx="4.5" fill="{edge}"/>'
        ),
        "tablets": (
            f'<rect x="120" y="60" width="240" height="260" rx="20" {shape}/>'
            f'<rect x="134" y="74" width="212" height="232" rx="10" fill="{SCREEN}"/>'
            f'<circle cx="240" cy="190" r="52" fill="{accent}" opacity="0.6"/>'
        ),
        "laptops": (
            f'<rect x="110" y="80" width="260" height="175" rx="10" {shape}/>'
            f'<rect x="122" y="92" width="236" height="150" rx="4" fill="{SCREEN}"/>'
            f'<circle cx="240" cy="167" r="40" fill="{accent}" opacity="0.6"/>'
            f'<path d="M80 262 H400 L428 292 H52 Z" {shape}/>'
            f'<rect x="210" y="266" width="60" height="6" rx="3" fill="{edge}"/>'
        ),
        "desktops": (
            f'<rect x="90" y="60" width="300" height="195" rx="12" {shape}/>'
            f'<rect x="104" y="74" width="272" height="150" rx="4" fill="{SCREEN}"/>'
            f'<circle cx="240" cy="149" r="42" fill="{accent}" opacity="0.6"/>'
            f'<rect x="215" y="255" width="50" height="45" fill="{edge}"/>'
            f'<rect x="170" y="298" width="140" height="12" rx="6" {shape}/>'
        ),
        "smartwatches": (
            f'<rect x="200" y="40" width="80" height="290" rx="24" fill="{accent}"/>'
            f'<rect x="175" y="110" width="130" height="150" rx="34" {shape}/>'
            f'<rect x="189" y="124" width="102" height="122" rx="24" fill="{SCREEN}"/>'
            f'<rect x="305" y="160" width="10" height="30" rx="4" fill="{edge}"/>'
        ),
        "consoles": (
            f'<rect x="80" y="130" width="320" height="120" rx="44" {shape}/>'
            f'<circle cx="150" cy="190" r="24" fill="{SCREEN}"/>'
            f'<circle cx="330" cy="190" r="24" fill="{SCREEN}"/>'
            f'<rect x="200" y="160" width="80" height="60" rx="8" fill="{accent}"/>'
        ),
        "audio": (
            f'<path d="M140 230 A100 100 0 0 1 340 230" fill="none" stroke="{body}" '
            f'stroke-width="20" stroke-linecap="round"/>'
            f'<rect x="112" y="200" width="56" height="100" rx="24" {shape}/>'
            f'<rect x="312" y="200" width="56" height="100" rx="24" {shape}/>'
            f'<rect x="126" y="222" width="28" height="56" rx="12" fill="{accent}"/>'
            f'<rect x="326" y="222" width="28" height="56" rx="12" fill="{accent}"/>'
        ),
        "cameras": (
            f'<rect x="160" y="92" width="80" height="40" rx="8" {shape}/>'
            f'<rect x="100" y="120" width="280" height="180" rx="22" {shape}/>'
            f'<circle cx="240" cy="210" r="66" fill="{SCREEN}"/>'
            f'<circle cx="240" cy="210" r="44" fill="#374151"/>'
            f'<circle cx="240" cy="210" r="18" fill="{accent}"/>'
        ),
        "e-readers": (
            f'<rect x="145" y="50" width="190" height="270" rx="14" {shape}/>'
            f'<rect x="160" y="68" width="160" height="214" rx="3" fill="#e5e7eb"/>'
            + "".join(
                f'<rect x="174" y="{90 + 18 * i}" width="{132 - 22 * (i % 3)}" height="6" '
                f'rx="3" fill="#9ca3af"/>'
                for i in range(9)
            )
        ),
    }
    return drawings.get(category, drawings["tablets"])


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def device_svg(*, category: str, title: str, caption: str, body: str, accent: str) -> str:
    """Return an SVG picture of a device of ``category`` in ``body`` colour, with its name."""
    text = 'text-anchor="middle" font-family="system-ui, sans-serif"'
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" '
        'viewBox="0 0 480 480" role="img">'
        f"<title>{escape(title)}</title>"
        f'<rect width="480" height="480" fill="{BACKGROUND}"/>'
        f"{_drawing(category, body, accent)}"
        f'<text x="240" y="385" {text} font-size="24" font-weight="700" fill="#111827">'
        f"{escape(_clip(title, 32))}</text>"
        f'<text x="240" y="418" {text} font-size="17" fill="#4b5563">'
        f"{escape(_clip(caption, 44))}</text>"
        "</svg>"
    )


def store_svg(name: str, svg: str) -> str:
    """Write ``svg`` to the default storage under ``FOLDER`` and return the stored name.

    An earlier seed's file of the same name is replaced, so reruns keep stable names.
    """
    path = f"{FOLDER}/{name}"
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(svg.encode()))


def model_picture(
    *, slug: str, position: int, category: str, title: str, brand: str, colour: str
) -> str:
    """Draw and store one picture of a device model in ``colour``; return its name."""
    accent = BRAND_ACCENTS.get(brand, "#374151")
    svg = device_svg(
        category=category,
        title=title,
        caption=colour or brand,
        body=colour_hex(colour or brand),
        accent=accent,
    )
    return store_svg(f"{slug[:70]}-{position + 1}.svg", svg)


def shared_picture(*, category: str, category_name: str, colour: str) -> tuple[str, str]:
    """Return the (name, svg) of the shared picture for a category and colour family."""
    index = palette_index(colour_hex(colour)) if colour else 2
    svg = device_svg(
        category=category,
        title=category_name,
        caption="Refurbished",
        body=PALETTE[index],
        accent="#374151",
    )
    return f"shared-{category}-{index}.svg", svg
