#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails unless every screenshot image the metainfo names is a PNG in
# data/screenshots of exactly the width and height the metainfo declares,
# every screenshot has a caption, and one is the default.
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def png_size(path):
    with open(path, 'rb') as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b'\x89PNG\r\n\x1a\n' or head[12:16] != b'IHDR':
        raise ValueError(f'{path} is not a PNG')
    return struct.unpack('>II', head[16:24])


def main(metainfo, shots_dir):
    shots = ET.parse(metainfo).getroot().find('screenshots')
    problems = []
    if shots is None or len(shots) == 0:
        problems.append('the metainfo has no screenshots')
        shots = []
    defaults = [s for s in shots if s.get('type') == 'default']
    if shots and len(defaults) != 1:
        problems.append(f'{len(defaults)} screenshots are marked default; one must be')
    for shot in shots:
        if shot.find('caption') is None or not shot.find('caption').text:
            problems.append('a screenshot has no caption')
        for image in shot.findall('image'):
            url = image.text.strip()
            if not url.startswith('https://'):
                problems.append(f'{url}: not an https address')
            path = Path(shots_dir) / url.rsplit('/', 1)[-1]
            if not path.is_file():
                problems.append(f'{url}: no {path.name} in {shots_dir}')
                continue
            width, height = png_size(path)
            declared = (int(image.get('width', 0)), int(image.get('height', 0)))
            if declared != (width, height):
                problems.append(f'{path.name} is {width}×{height}, the metainfo says {declared[0]}×{declared[1]}')
            print(f'ok {path.name} {width}×{height}')
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
