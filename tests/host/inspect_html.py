#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# What the page of "accelctl inspect --html" shows, for
# tests/host/inspect_html.bats:
#
#   inspect_html.py dom FILE   parse the DOM Chromium dumped (--dump-dom)
#                              and print one fact a line: "verdict X",
#                              "row CLASS: cell|cell|...", "hist ID svg N
#                              bars N min HEIGHT" and "tag NAME N" for the
#                              elements that could load or run something
#   inspect_html.py png FILE   print "size W H", "bar_pixels N" (pixels of
#                              the histograms' bar colour), "bar_runs N"
#                              (separate columns of bars: one per bar drawn)
#                              and "ink N" (pixels that are not white)
import sys
from html.parser import HTMLParser

BAR = (0x2F, 0x6F, 0xD0)    # BAR_COLOUR in cli/accelctl/inspect_html.c
WATCH = ("script", "img", "link", "iframe", "object", "embed", "image",
         "use", "foreignobject", "base", "form")


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.verdict = None
        self.in_verdict = False
        self.row = None         # (class, [cells]) while in a <tr class>
        self.cell = None
        self.rows = []
        self.fig = None         # [id, svgs, bar heights]
        self.figs = []
        self.tags = {t: 0 for t in WATCH}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.tags:
            self.tags[tag] += 1
        if a.get("id") == "verdict":
            self.in_verdict = True
            self.verdict = ""
        if tag == "tr" and a.get("class"):
            self.row = (a["class"], [])
        elif tag == "td" and self.row is not None:
            self.cell = ""
        elif tag == "figure" and "hist" in (a.get("class") or ""):
            self.fig = [a.get("id"), 0, []]
        elif tag == "svg" and self.fig is not None:
            self.fig[1] += 1
        elif tag == "rect" and self.fig is not None and \
                a.get("class") == "bar":
            self.fig[2].append(float(a.get("height", "0")))

    def handle_endtag(self, tag):
        if tag == "span" and self.in_verdict:
            self.in_verdict = False
        elif tag == "td" and self.cell is not None:
            self.row[1].append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "figure" and self.fig is not None:
            self.figs.append(self.fig)
            self.fig = None

    def handle_data(self, data):
        if self.in_verdict:
            self.verdict += data
        if self.cell is not None:
            self.cell += data


def dom(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    print("verdict %s" % p.verdict)
    for cls, cells in p.rows:
        print("row %s: %s" % (cls, "|".join(cells)))
    for fid, svgs, bars in p.figs:
        print("hist %s svg %d bars %d min %s" %
              (fid, svgs, len(bars), min(bars) if bars else "-"))
    for t in WATCH:
        print("tag %s %d" % (t, p.tags[t]))


def png(path):
    from PIL import Image

    im = Image.open(path).convert("RGB")
    w, h = im.size
    data = im.getdata()
    bar_cols = set()
    bar = ink = 0
    for i, (r, g, b) in enumerate(data):
        if r < 245 or g < 245 or b < 245:
            ink += 1
        if abs(r - BAR[0]) < 20 and abs(g - BAR[1]) < 20 and \
                abs(b - BAR[2]) < 20:
            bar += 1
            bar_cols.add(i % w)
    runs, last = 0, -2
    for x in sorted(bar_cols):
        if x != last + 1:
            runs += 1
        last = x
    print("size %d %d" % (w, h))
    print("bar_pixels %d" % bar)
    print("bar_runs %d" % runs)
    print("ink %d" % ink)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("dom", "png"):
        sys.exit("usage: inspect_html.py dom|png FILE")
    (dom if sys.argv[1] == "dom" else png)(sys.argv[2])
