"""Text helpers for short contributions: merge keys for terms and the most frequent words.

Runs locally (Snowball's German stemmer, a stop-word list): no external service, no model.
"""
from __future__ import annotations

import re
from collections import Counter

import snowballstemmer

_stemmer = snowballstemmer.stemmer("german")
_WORD = re.compile(r"[\w][\w\-]*", re.UNICODE)

#: German stop words (articles, pronouns, auxiliaries, particles, frequent adverbs), lower case.
STOP_WORDS_DE = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei beim bin bis bist da dabei dadurch daher damit dann
darum das dass daß dasselbe dazu dein deine deinem deinen deiner dem demselben den denn denselben
der derer derselbe derselben des desselben dessen dich die dies diese dieselbe dieselben diesem
diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig einige einigem
einigen einiger einiges einmal er es etwas euch euer eure eurem euren eurer eures für gegen gewesen
hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres
im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine
keinem keinen keiner keines können könnte machen man manche manchem manchen mancher manches mein
meine meinem meinen meiner meines mich mir mit muss musste nach nicht nichts noch nun nur ob oder
ohne sehr sein seine seinem seinen seiner seines selbst sich sie sind so solche solchem solchen
solcher solches soll sollte sondern sonst über um und uns unser unsere unserem unseren unserer
unseres unter viel vom von vor wann war waren warst was weg weil weiter welche welchem welchen
welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu
zum zur zwar zwischen mehr mal ja nein gut heute morgen immer ganz schon eben eher sowie bzw z.b
dass wurde wurden worden gibt geht gehen lassen sehen viele vielen
""".split())


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def stem(word: str) -> str:
    return _stemmer.stemWord(word.casefold())


def normalize_term(text: str) -> str:
    """Merge key of a short term: case, whitespace and German inflection do not matter
    ("Bäume", "Baum", " baum " → "baum")."""
    return " ".join(stem(w) for w in words(text))


def top_terms(texts, limit: int = 20) -> list[dict]:
    """The most frequent content words: ``[{term, count}]``, shown in their most frequent spelling."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for text in texts:
        for word in words(text):
            lower = word.casefold()
            if lower in STOP_WORDS_DE or len(lower) < 3 or lower.isdigit():
                continue
            key = stem(lower)
            counts[key] += 1
            spellings.setdefault(key, Counter())[word] += 1
    return [
        {"term": spellings[key].most_common(1)[0][0], "count": count}
        for key, count in counts.most_common(limit)
    ]
