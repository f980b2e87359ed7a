#!/usr/bin/env python3
"""Generate Safewalk's PWA icons into public/icons/.

Motif: a bold amber shield with a navy check mark, on dark navy. Drawn with
Pillow at 4x and downsampled, so edges are anti-aliased without any vector
tooling. The PNGs are committed; rerun this after changing the design:

    pip install pillow
    python3 scripts/make-icons.py

Outputs (paths relative to the repo root):
    public/icons/icon-192.png          192, purpose "any": rounded navy square
    public/icons/icon-512.png          512, purpose "any"
    public/icons/maskable-512.png      512, purpose "maskable": full-bleed navy,
                                       motif inside the central 80% safe zone
    public/icons/apple-touch-icon.png  180, opaque full square (iOS rounds it
                                       itself and shows transparency as black)
"""
import math
import os
import sys

from PIL import Image, ImageDraw

NAVY = (15, 23, 42)  # #0f172a, same as theme_color/background_color
AMBER = (245, 158, 11)  # #f59e0b
SS = 4  # supersampling factor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "public", "icons")


def shield_outline():
    """Shield outline in unit coordinates (0..1 on both axes, y down)."""
    pts = [(0.5, 0.0), (1.0, 0.14), (1.0, 0.46)]
    # Right flank curves down to the point at the bottom (quadratic Bezier).
    p0, c, p2 = (1.0, 0.46), (0.98, 0.80), (0.5, 1.0)
    n = 24
    for i in range(1, n + 1):
        t = i / n
        x = (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * c[0] + t * t * p2[0]
        y = (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * c[1] + t * t * p2[1]
        pts.append((x, y))
    # Mirror for the left half (skip the bottom point, already present).
    left = [(1.0 - x, y) for (x, y) in reversed(pts[1:-1])]
    return pts + left


# Check mark (unit coordinates inside the shield box) and its stroke width.
CHECK = [(0.27, 0.50), (0.44, 0.67), (0.74, 0.35)]
CHECK_W = 0.13


def draw_motif(draw, cx, cy, h):
    """Draw the shield of height h centred on (cx, cy); width = 0.84 h."""
    w = 0.84 * h
    x0, y0 = cx - w / 2, cy - h / 2

    def tr(p):
        return (x0 + p[0] * w, y0 + p[1] * h)

    draw.polygon([tr(p) for p in shield_outline()], fill=AMBER)
    pts = [tr(p) for p in CHECK]
    lw = CHECK_W * w
    draw.line(pts, fill=NAVY, width=round(lw), joint="curve")
    for (x, y) in (pts[0], pts[-1]):  # round caps
        r = lw / 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=NAVY)
    return [tr(p) for p in shield_outline()]


def render(size, *, rounded, motif_frac):
    """motif_frac: shield height as a fraction of the icon size."""
    big = size * SS
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if rounded:
        d.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(big * 0.22), fill=NAVY)
    else:
        d.rectangle((0, 0, big, big), fill=NAVY)
    outline = draw_motif(d, big / 2, big / 2, big * motif_frac)
    img = img.resize((size, size), Image.LANCZOS)
    return img, [(x / SS, y / SS) for (x, y) in outline]


def save(img, name, opaque):
    path = os.path.join(OUT, name)
    if opaque:
        img = img.convert("RGB")
    # A 64-colour palette is plenty for two flat colours plus anti-aliasing
    # and keeps the files a few KB.
    img = img.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    img.save(path, optimize=True)
    print(f"{os.path.relpath(path, ROOT)}: {img.size[0]}x{img.size[1]}, {os.path.getsize(path)} bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    for size in (192, 512):
        img, _ = render(size, rounded=True, motif_frac=0.66)
        save(img, f"icon-{size}.png", opaque=False)

    # Maskable: the platform crops to its own shape; only the circle of radius
    # 40% of the size (the "central 80%") is guaranteed visible.
    img, outline = render(512, rounded=False, motif_frac=0.62)
    c, r_safe = 256, 0.40 * 512
    worst = max(math.hypot(x - c, y - c) for (x, y) in outline)
    if worst > r_safe:
        sys.exit(f"maskable motif leaves the safe zone ({worst:.1f} > {r_safe:.1f} px)")
    save(img, "maskable-512.png", opaque=True)

    img, _ = render(180, rounded=False, motif_frac=0.62)
    save(img, "apple-touch-icon.png", opaque=True)


if __name__ == "__main__":
    main()
