#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes tests/fuzz/TARGET.dict, the libFuzzer dictionary of a target:
# every JSON member name (as "\"name\":"), every short string value and
# every query-string parameter name found in its seed corpus, plus the
# JSON punctuation.  Run after the corpus changes:
#
#   tests/fuzz/make-dict.py fuzz-client fuzz-service fuzz-catalogue

import json
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))


def walk(node, keys, values):
    if isinstance(node, dict):
        for k, v in node.items():
            keys.add(k)
            walk(v, keys, values)
    elif isinstance(node, list):
        for v in node:
            walk(v, keys, values)
    elif isinstance(node, str) and len(node) <= 24:
        values.add(node)


def escape(s):
    return ''.join(c if 32 <= ord(c) < 127 and c not in '\\"' else
                   '\\x%02x' % b for c in s for b in
                   (c.encode('utf-8') if not (32 <= ord(c) < 127 and c not in '\\"') else [0]))


def main():
    for target in sys.argv[1:]:
        keys, values, params = set(), set(), set()
        corpus = os.path.join(here, 'corpus', target)
        for name in sorted(os.listdir(corpus)):
            with open(os.path.join(corpus, name), 'rb') as f:
                data = f.read()
            text = data.decode('utf-8', 'replace')
            # the selector byte (and fuzz-client's failure byte) first
            for skip in (0, 1, 2):
                try:
                    walk(json.loads(text[skip:]), keys, values)
                    break
                except ValueError:
                    continue
            else:
                for m in re.finditer(r'(?:^|[&?\x00-\x7f])([a-z_]+)=', text[1:]):
                    params.add(m.group(1))
        lines = ['# %s: JSON member names, short values and query parameters' % target,
                 '# of its seed corpus (tests/fuzz/make-dict.py)']
        lines += ['"{"', '"}"', '"["', '"]"', '":"', '","', '"null"', '"true"', '"false"',
                  '"-1"', '"1e308"', '"\\\\u0000"']
        for k in sorted(keys):
            lines.append('"\\"%s\\":"' % escape(k))
        # Dates and instants are many (a statistics reply has a year of
        # days) and alike: the first 40 of each shape are enough.
        shapes = {}
        for v in sorted(values - keys):
            shape = re.sub(r'[0-9]', '9', v)
            if re.fullmatch(r'9999-99-99(T99:99(:99)?(\.9+)?Z?)?', shape):
                shapes[shape] = shapes.get(shape, 0) + 1
                if shapes[shape] > 40:
                    continue
            lines.append('"\\"%s\\""' % escape(v))
        for p in sorted(params):
            lines.append('"%s="' % escape(p))
            lines.append('"&%s="' % escape(p))
        with open(os.path.join(here, target + '.dict'), 'w') as f:
            f.write('\n'.join(lines) + '\n')
        print('%s.dict: %d entries' % (target, len(lines) - 2))


main()
