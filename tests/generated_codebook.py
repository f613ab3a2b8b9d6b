"""A large deterministic codebook (dimension → theme → code, Dutch-like names) for the code chooser's tests and bench."""

from __future__ import annotations

import random
import re

from workbench.core.model import Code

DIMENSIONS = ("Succesfactoren", "Knelpunten", "Suggesties", "Overig")
COLOURS = ("#2e7d32", "#c62828", "#1565c0", "#6a1b9a")
STEMS = (
    "contact personeel vriend vriendschap steun ondersteuning onderling onderzoek vrijheden verlof team sturing "
    "woning gemeente zorg hulp netwerk gezin kinderen bezoek werk arbeid school opleiding schuld geld regel beleid "
    "aandacht rust structuur dag week plan doel traject toekomst vertrouwen veiligheid grens kamer sfeer groep "
    "gesprek mentor casemanager psycholoog reclassering behandeling herstel detentie maatschappij burger kans "
    "taak rol dienst overleg afspraak communicatie informatie activiteit sport muziek koken tuin wandeling "
    "religie cultuur taal verslaving middelen terugval motivatie groei inzicht besef ervaring deskundigheid"
).split()
SUFFIXES = ("", "", "", "en", "s", "aanbod", "plan", "moment", "punt", "vorm", "kader", "beleid", "werk", "gesprek")
GLUE = "de het een en met van voor in op bij door naar over om te dat is niet wel ook meer minder".split()


def _word(rng: random.Random) -> str:
    stem = rng.choice(STEMS)
    suffix = rng.choice(SUFFIXES)
    return stem + (suffix if suffix != stem else "")


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [_word(rng) if rng.random() < 0.6 else rng.choice(GLUE) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40].strip("-")


def generated_codes(total: int = 2000, seed: int = 10) -> list[Code]:
    """`total` codes in three levels, parents before children: 4 dimensions, 20 themes each, the rest as items."""
    rng = random.Random(seed)
    codes: list[Code] = []
    themes: list[Code] = []
    for number, (name, colour) in enumerate(zip(DIMENSIONS, COLOURS, strict=True)):
        dimension = Code(id=_slug(name), name=name, color=colour, dimension=_slug(name), position=number)
        codes.append(dimension)
        for theme_number in range(20):
            theme_name = f"M.b.t. {_word(rng)} en {_word(rng)}"
            theme = Code(id=f"{dimension.id}-{theme_number:02d}-{_slug(theme_name)}", name=theme_name, parent_id=dimension.id)
            codes.append(theme)
            themes.append(theme)
    item = 0
    while len(codes) < total:
        theme = themes[item % len(themes)]
        name = _sentence(rng, 3, 24)
        codes.append(Code(id=f"{theme.id[:60]}-{item:04d}-{_slug(name)}", name=name, parent_id=theme.id))
        item += 1
    return codes
