#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails unless every colour the high-contrast stylesheets define as a hex
# value has at least 4.5:1 contrast (WCAG 2) on the backgrounds it is drawn
# on: window and card backgrounds of the light or the dark style.
import re
import sys

BACKGROUNDS = {
    'style-hc.css': ['#ffffff', '#fafafa'],
    'style-hc-dark.css': ['#242424', '#383838'],
}
# Colours that are drawn on the colours above, not on the window.
ON_BARS = {'nt_timeline_bar_text'}


def luminance(hex_colour):
    h = hex_colour.lstrip('#')
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a, b):
    la, lb = sorted([luminance(a), luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def main(data_dir):
    problems = []
    for name, backgrounds in BACKGROUNDS.items():
        with open(f'{data_dir}/{name}', encoding='utf-8') as f:
            css = f.read()
        colours = dict(re.findall(r'@define-color\s+(\w+)\s+(#[0-9a-fA-F]{6})\s*;', css))
        if not colours:
            problems.append(f'{name}: no colours found')
        # Bars: the period kinds and slots (public, coalition and user
        # operation take the program and OK colours).
        bars = {k: v for k, v in colours.items()
                if k not in ON_BARS and (k.startswith('nt_timeline_') or
                                         k in ('nt_public_color', 'nt_coalition_color', 'nt_ok_color'))}
        for key, value in colours.items():
            if key in ON_BARS:
                # The bar text sits on every slot and period colour.
                worst = min(contrast(value, bar) for bar in bars.values()) if bars else 21
                where = 'the bars'
            else:
                worst = min(contrast(value, bg) for bg in backgrounds)
                where = ' and '.join(backgrounds)
            line = f'{name}: {key} {value} {worst:.2f}:1 on {where}'
            print(line)
            if worst < 4.5:
                problems.append(line + ' is below 4.5:1')
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
