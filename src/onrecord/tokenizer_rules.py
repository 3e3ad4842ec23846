"""Tokenizer rules for news text, applied when the pipeline is assembled.

spaCy's English defaults already split "$2", "85%" and keep "U.S." whole; news copy adds
em and en dashes written without spaces ("officials—two of them"), double hyphens, and
curly quotation marks glued to words. The rules serialize with the pipeline, so loading
the shipped model needs no code from here.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

DASH_INFIXES = [r"(?<=\S)(?:—|–|--)(?=\S)"]
QUOTE_AFFIXES = ["“", "”", "‘", "’", "«", "»", "„"]


def customize_tokenizer(nlp: Language) -> None:
    tokenizer: Any = nlp.tokenizer
    infixes = list(nlp.Defaults.infixes or []) + DASH_INFIXES
    prefixes = list(nlp.Defaults.prefixes or []) + [q for q in QUOTE_AFFIXES if q != "’"]
    suffixes = list(nlp.Defaults.suffixes or []) + QUOTE_AFFIXES
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
