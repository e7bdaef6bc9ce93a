"""The method notes of a page say each thing once."""

from __future__ import annotations

from kek_geo.indicators import REGISTRY, indicators_for
from kek_geo.method_notes import sentences, split_shared


def test_sentences_keep_the_text() -> None:
    text = "Anteil der Einwohner (Vorgabe 2). Die drei Lücken: (1) ÖV. Stand 2022."
    assert sentences(text) == ["Anteil der Einwohner (Vorgabe 2).", "Die drei Lücken: (1) ÖV.",
                               "Stand 2022."]  # fmt: skip
    assert " ".join(sentences(text)) == text


def test_shared_sentences_are_taken_out_once() -> None:
    own, shared = split_shared(["A one. Common. Also.", "B two. Common. Also.", "C three."])
    assert own == ["A one.", "B two.", "C three."]
    assert shared == ["Common.", "Also."]


def test_the_synthesis_page_explains_the_three_gaps_once() -> None:
    texts = [ind.method("en") for ind in indicators_for("synthesis")]
    own, shared = split_shared(texts)
    gaps = "The three gaps per settled 100 m cell"
    assert sum(gaps in text for text in texts) > 1
    assert not any(gaps in text for text in own)
    assert sum(gaps in s for s in shared) == 1
    assert REGISTRY  # the registry is loaded
