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
        source.resize((size, size), Image.LANCZOS).save(ICONS / f"icon-{size}.png", optimize=True)
    # Maskable: the platform crops to a circle or squircle, so keep the mark in the inner 80%.
    background = source.getpixel((4, 4))
    canvas = Image.new("RGBA", (1024, 1024), background)
    inner = source.resize((820, 820), Image.LANCZOS)
    canvas.paste(inner, (102, 102), inner)
    canvas.resize((512, 512), Image.LANCZOS).save(ICONS / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
