"""Code suggestions that learn from the researcher's own coding: keywords matched on Dutch lemmas, and a model trained
on the project's codings and rejected suggestions. They never code anything themselves: `accept` is an ordinary coding.

spaCy and scikit-learn load on first use, not on import. The pieces: `pipeline` (tokens and lemmas, cached in the
project), `rules` (keywords), `learned` (the model, trained in the background), `rank` (both combined, per code or
theme), `similar` ("more like this"), `feedback` (accept, reject, acceptance rates), `evaluate` (cross-validation).

What a screen calls, per unit: `suggest_unit` and `theme_scores` (they never wait for a training), `accept` or
`reject` on a key, `retrain` from a background worker after codings change, `more_like_this` from a coded segment,
`acceptance_rates` in the codebook screen.
"""

from __future__ import annotations

from workbench.suggest.evaluate import Evaluation, Level, Method, evaluate
from workbench.suggest.feedback import accept, acceptance_rates, reject, rejected_codes
from workbench.suggest.learned import Training, current_model, retrain
from workbench.suggest.model import Acceptance, SimilarUnit, Source, Suggestion, ThemeScore, UnitSuggestions
from workbench.suggest.rank import suggest_document, suggest_text, suggest_text_themes, suggest_unit, theme_scores
from workbench.suggest.similar import more_like_this

__all__ = [
    "Acceptance", "Evaluation", "Level", "Method", "SimilarUnit", "Source", "Suggestion", "ThemeScore", "Training", "UnitSuggestions",
    "accept", "acceptance_rates", "current_model", "evaluate", "more_like_this", "reject", "rejected_codes", "retrain",
    "suggest_document", "suggest_text", "suggest_text_themes", "suggest_unit", "theme_scores",
]
