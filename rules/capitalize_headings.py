"""capitalize-headings: headings in Title Case, First letter or ALL CAPS (the Obsidian Linter's
`capitalize-headings`)."""

import re

from notelint.finding import Edit
from notelint.fmt_headings import atx_headings, inline_excluded, overlaps
from notelint.formatting import FormatRule
from notelint.options import Option
from notelint.plugin_rule import PluginRule

STYLES = ("Title Case", "ALL CAPS", "First letter")
IGNORE_WORDS = ("macOS", "iOS", "iPhone", "iPad", "JavaScript", "TypeScript", "AppleScript", "I")
# the plugin's default lowercase words (prepositions, articles, conjunctions), in its order
LOWERCASE_WORDS = (
    'a', 'an', 'the', 'aboard', 'about', 'abt.', 'above', 'abreast', 'absent', 'across', 'after',
    'against', 'along', 'aloft', 'alongside', 'amid', 'amidst', 'mid', 'midst', 'among', 'amongst',
    'anti', 'apropos', 'around', 'round', 'as', 'aslant', 'astride', 'at', 'atop', 'ontop', 'bar',
    'barring', 'before', 'B4', 'behind', 'below', 'beneath', 'neath', 'beside', 'besides', 'between',
    "'tween", 'beyond', 'but', 'by', 'chez', 'circa', 'c.', 'ca.', 'come', 'concerning', 'contra',
    'counting', 'cum', 'despite', 'spite', 'down', 'during', 'effective', 'ere', 'except', 'excepting',
    'excluding', 'failing', 'following', 'for', 'from', 'in', 'including', 'inside', 'into', 'less',
    'like', 'minus', 'modulo', 'mod', 'near', 'nearer', 'nearest', 'next', 'notwithstanding', 'of',
    "o'", 'off', 'offshore', 'on', 'onto', 'opposite', 'out', 'outside', 'over', "o'er", 'pace', 'past',
    'pending', 'per', 'plus', 'post', 'pre', 'pro', 'qua', 're', 'regarding', 'respecting', 'sans',
    'save', 'saving', 'short', 'since', 'sub', 'than', 'through', 'thru', 'throughout', 'thruout',
    'till', 'times', 'to', "t'", 'touching', 'toward', 'towards', 'under', 'underneath', 'unlike',
    'until', 'unto', 'up', 'upon', 'versus', 'vs.', 'v.', 'via', 'vice', 'vis-à-vis', 'wanting', 'with',
    'w/', 'w.', 'c̄', 'within', 'w/i', 'without', "'thout", 'w/o', 'abroad', 'adrift', 'aft',
    'afterward', 'afterwards', 'ahead', 'apart', 'ashore', 'aside', 'away', 'back', 'backward',
    'backwards', 'beforehand', 'downhill', 'downstage', 'downstairs', 'downstream', 'downward',
    'downwards', 'downwind', 'east', 'eastward', 'eastwards', 'forth', 'forward', 'forwards',
    'heavenward', 'heavenwards', 'hence', 'henceforth', 'here', 'hereby', 'herein', 'hereof', 'hereto',
    'herewith', 'home', 'homeward', 'homewards', 'indoors', 'inward', 'inwards', 'leftward',
    'leftwards', 'north', 'northeast', 'northward', 'northwards', 'northwest', 'now', 'onward',
    'onwards', 'outdoors', 'outward', 'outwards', 'overboard', 'overhead', 'overland', 'overseas',
    'rightward', 'rightwards', 'seaward', 'seawards', 'skywards', 'skyward', 'south', 'southeast',
    'southwards', 'southward', 'southwest', 'then', 'thence', 'thenceforth', 'there', 'thereby',
    'therein', 'thereof', 'thereto', 'therewith', 'together', 'underfoot', 'underground', 'uphill',
    'upstage', 'upstairs', 'upstream', 'upward', 'upwards', 'upwind', 'west', 'westward', 'westwards',
    'when', 'whence', 'where', 'whereby', 'wherein', 'whereto', 'wherewith', 'although', 'because',
    'considering', 'given', 'granted', 'if', 'lest', 'once', 'provided', 'providing', 'seeing', 'so',
    'supposing', 'though', 'unless', 'whenever', 'whereas', 'wherever', 'while', 'whilst', 'ago',
    'according to', 'as regards', 'counter to', 'instead of', 'owing to', 'pertaining to',
    'at the behest of', 'at the expense of', 'at the hands of', 'at risk of', 'at the risk of',
    'at variance with', 'by dint of', 'by means of', 'by virtue of', 'by way of', 'for the sake of',
    'for sake of', 'for lack of', 'for want of', 'from want of', 'in accordance with', 'in addition to',
    'in case of', 'in charge of', 'in compliance with', 'in conformity with', 'in contact with',
    'in exchange for', 'in favor of', 'in front of', 'in lieu of', 'in light of', 'in the light of',
    'in line with', 'in place of', 'in point of', 'in quest of', 'in relation to', 'in regard to',
    'with regard to', 'in respect to', 'with respect to', 'in return for', 'in search of',
    'in step with', 'in touch with', 'in terms of', 'in the name of', 'in view of', 'on account of',
    'on behalf of', 'on grounds of', 'on the grounds of', 'on the part of', 'on top of',
    'with a view to', 'with the exception of', 'à la', 'a la', 'as soon as', 'as well as', 'close to',
    'due to', 'far from', 'in case', 'other than', 'prior to', 'pursuant to', 'regardless of',
    'subsequent to', 'as long as', 'as much as', 'as far as', 'by the time', 'in as much as',
    'inasmuch', 'in order to', 'in order that', 'even', 'provide that', 'if only', 'whether', 'whose',
    'whoever', 'why', 'how', 'or not', 'whatever', 'what', 'both', 'and', 'or', 'not only', 'but also',
    'either', 'neither', 'nor', 'just', 'rather', 'no sooner', 'such', 'that', 'yet', 'is', 'it',
)
TOKEN = re.compile(r"\S+")
SPLITTER = re.compile(r"[,\s]+")  # the plugin's wordSplitterRegex
TRAILING = frozenset(".?!,:;0123456789")


def words_of(setting: str) -> frozenset:
    """A word list as the plugin reads its text box: split at commas and whitespace, empties dropped."""
    return frozenset(w for w in SPLITTER.split(setting) if w)


def is_word(token: str) -> bool:
    """The plugin's `^[\\p{L}'-]{1,}[.?!,:;\\d]*$`: letters (and `'`, `-`), then only punctuation or digits."""
    i = 0
    while i < len(token) and (token[i].isalpha() or token[i] in "'-"):
        i += 1
    return i > 0 and all(c in TRAILING for c in token[i:])


def recase(words: list[str], style: str, ignore_cased: bool, keep: frozenset, lower: frozenset) -> list[str]:
    """The plugin's capitalisation of a heading's words (None: not a word, left as it is)."""
    first_letter = style == "First letter"
    first = True
    out = list(words)
    for j, w in enumerate(words):
        if w is None or not is_word(w):
            continue
        cased = ignore_cased and w != w.lower()
        if not (cased or w in keep):
            w = w.lower()
            if (w not in lower and not first_letter) or first:
                w = w[0].upper() + w[1:]
            out[j] = w
        first = False
        if ignore_cased and first_letter:
            break
    return out


class CapitalizeHeadings(FormatRule):
    name = "capitalize-headings"
    code = "NL542"
    summary = "Headings are capitalised in one style: Title Case, First letter or ALL CAPS"
    rationale = (
        "Headings capitalised one way make a note's outline read as one document. Only a heading's "
        "words are re-cased, each in place (its spacing and markup stay): links, wikilinks, tags, inline "
        "code, math, HTML, entities and footnote references in it are never touched, nor are words "
        "written in mixed case when `ignore-cased-words` is on, nor the `ignore-words`. Re-casing a "
        "heading changes its anchor, so links such as `[[note#Heading]]` may break: the fix is unsafe."
    )
    bad = "# a heading about notes\n"
    good = "# A Heading about Notes\n"
    fix = "unsafe"
    options = (
        Option("style", STYLES, "Title Case", "The capitalisation: `Title Case` (every word but the `lowercase-words`), `First letter` (only the first word) or `ALL CAPS`."),
        Option("ignore-cased-words", bool, True, "Leave words that are not all lowercase (`iPhone`, `NASA`) as written."),
        Option("ignore-words", str, ", ".join(IGNORE_WORDS),
               "Words whose casing is always kept, separated by commas or whitespace (as the plugin stores them)."),
        Option("lowercase-words", str, ", ".join(LOWERCASE_WORDS),
               "Words kept lowercase in Title Case unless first, separated by commas or whitespace (as the plugin "
               "stores them, so `according to` is the two words `according` and `to`)."),
    )
    plugin = (PluginRule("capitalize-headings", options={
        "style": "style", "ignore-case-words": "ignore-cased-words",
        "ignore-words": "ignore-words", "lowercase-words": "lowercase-words"}),)

    def format(self, note):
        style = self.settings["style"]
        keep = words_of(self.settings["ignore-words"])
        lower = words_of(self.settings["lowercase-words"])
        ignore_cased = self.settings["ignore-cased-words"]
        excluded = None
        text = note.text
        for h in atx_headings(note):
            if h.text_start == h.text_end:
                continue
            if excluded is None:
                excluded = inline_excluded(note)
            tokens = [m for m in TOKEN.finditer(text, h.text_start, h.text_end)]
            edits = []
            if style == "ALL CAPS":
                for m in tokens:
                    edits += _upper(text, m.start(), m.end(), excluded)
            else:
                words = [None if overlaps(excluded, m.start(), m.end()) else m.group() for m in tokens]
                new = recase(words, style, ignore_cased, keep, lower)
                edits = [Edit(m.start(), m.end(), n) for m, w, n in zip(tokens, words, new) if w is not None and n != w]
            if edits:
                after = _apply(text, h.text_start, h.text_end, edits)
                yield self.finding(note, edits[0].start, edits[-1].end,
                                   f"heading is not in {style}: write {after!r}", edits)


def _upper(text: str, start: int, end: int, excluded: list) -> list:
    """Edits upper-casing text[start:end] outside the excluded spans, one per changed run."""
    out = []
    i = start
    while i < end:
        j = i
        while j < end and not overlaps(excluded, j, j + 1):
            j += 1
        if j > i:
            up = text[i:j].upper()
            if up != text[i:j]:
                out.append(Edit(i, j, up))
        while j < end and overlaps(excluded, j, j + 1):
            j += 1
        i = j
    return out


def _apply(text: str, start: int, end: int, edits: list) -> str:
    out, at = [], start
    for e in edits:
        out += [text[at : e.start], e.replacement]
        at = e.end
    out.append(text[at:end])
    return "".join(out)
