"""Make the PWA icons from the one source image, static/icons/source.png (1024x1024).

Run after changing the source: .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"


def main() -> None:
    source = Image.open(ICONS / "source.png").convert("RGBA")
    # 64: the page's own (favicon, and the 28 px mark in the top bar on a 2x screen): a phone's
    # first visit downloads it, so it is small; 192 and 512 are the installed app's.
    for size in (64, 192, 512):
        save(source.resize((size, size), Image.LANCZOS), ICONS / f"icon-{size}.png")
    # Maskable: the platform crops to a circle or squircle, so keep the mark in the inner 80%.
    background = source.getpixel((4, 4))
    canvas = Image.new("RGBA", (1024, 1024), background)
    inner = source.resize((820, 820), Image.LANCZOS)
    canvas.paste(inner, (102, 102), inner)
    save(canvas.resize((512, 512), Image.LANCZOS), ICONS / "maskable-512.png")


def save(image: Image.Image, path: Path) -> None:
    """As a 64-colour palette PNG: the mark has 28 colours, its smoothed edges a few more, and
    a quarter of the bytes is what a phone's first visit downloads (icon-192: 6.3 -> 1.5 KB)."""
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)


if __name__ == "__main__":
    main()
