"""Method notes of several indicators shown together: each sentence once.

Indicators of one page often share the same explanation (how residents per cell are
estimated, what the three gaps are). Shown per indicator, a page repeats it for every one;
:func:`split_shared` keeps each indicator's own sentences and gathers the shared ones, so the
page says each thing once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

# A sentence ends at . ! or ? followed by a space and a capital, digit, bracket or quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ0-9(„“\"])")


def sentences(text: str) -> list[str]:
    """The sentences of a text, in order.

    Parameters
    ----------
    text
        A method text.

    Returns
    -------
    list of str
        Its sentences (an abbreviation may split one; joined again they give the text).
    """
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def split_shared(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """Each text without the sentences it shares with another text, and those sentences once.

    Parameters
    ----------
    texts
        The method texts of the indicators shown together.

    Returns
    -------
    tuple
        The texts' own parts (in the input order; empty where a text has nothing of its
        own) and the shared sentences in first-seen order.
    """
    split = [list(dict.fromkeys(sentences(text))) for text in texts]
    counts = Counter(s for parts in split for s in parts)
    own = [" ".join(s for s in parts if counts[s] == 1) for parts in split]
    shared = [s for s in dict.fromkeys(s for parts in split for s in parts) if counts[s] > 1]
    return own, shared
