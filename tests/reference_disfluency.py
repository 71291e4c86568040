"""The cleaner's fillers-and-stutters algorithm as issue #13 left it, frozen.

A copy of gloss/disfluency.py at commit a154e3f, before it was made linear in
the words (issue #14): it re-tokenises the paragraph on every repeat pass.
tests/test_clean_fast.py checks that the fast path gives exactly the edits
this one gives, and bench/clean_speed.py times both. Do not edit it to follow
changes in behaviour: a change in behaviour must be a deliberate change here
too, with its own reason.

Fillers and stutters: what speech has and reading does not need.

Works on one paragraph's verbatim text and returns edits (ranges to drop, a
word to capitalise, dashes to close up) rather than new text, so the verbatim
is never lost and the page can show exactly what was removed. Precision comes
first: a rule that could delete a meaningful word does not fire.

- Fillers: uh, um, er, ah, hmm (any case, with their punctuation), never a
  word that only looks like one (umbrella, ER in capitals) nor one inside a
  title ("Um, Actually"). A filler that opened a sentence passes its capital
  to the next word. Commas or dashes that only framed a filler go with it
  ("my brother, uh, moved" -> "my brother moved"); a mark the sentence needs
  stays ("Well, uh, I think" -> "Well, I think").
- Stutters: a word or a phrase of up to four words said again at once ("I I I
  think", "and then and then", "get the, the pan") keeps one copy; a word
  followed by its own contraction ("it it's") keeps the contraction. Only a
  repeat that holds a function word (pronoun, article, preposition,
  conjunction, auxiliary) collapses: a doubled content word is reduplication
  or contrast ("tom tom", "coffee coffee or decaf"). Kept as well: numbers,
  idioms ("year after year after year"), quoted words and chants, doubles
  that stand alone ("Now now, don't cry"), and pairs where each copy has its
  own job ("ask her her name", "the box that that courier left", "tell you
  you can", "log in in the morning").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


FILLERS = _set("uh uhh uhhh um umm ummm uhm uhmm er erm ah ahh hmm hmmm hm mm mhm")

PRONOUNS = _set("i me my mine myself we us our ours ourselves you your yours yourself yourselves "
                "he him his himself she her hers herself it its itself they them their theirs themselves")
DETERMINERS = _set("the a an this that these those some any every each all both either neither another such")
PREPOSITIONS = _set("of in on at to for with from by about into onto over under through between after "
                    "before during without within as than up down out off around across against along "
                    "toward towards upon behind beyond since until till via per among near past like")
CONJUNCTIONS = _set("and but or nor so because if then though although while whether unless once yet whereas")
AUXILIARIES = _set("is are was were be been being am has have had do does did can could will would shall "
                   "should may might must")
WH_WORDS = _set("who whom whose which what where when why how whatever whoever wherever whenever")
ADVERBS = _set("just maybe not also even only still now there here more most too very really quite well")
FUNCTION = PRONOUNS | DETERMINERS | PREPOSITIONS | CONJUNCTIONS | AUXILIARIES | WH_WORDS | ADVERBS
"""Closed-class words. Speakers restart on these ("the the", "I I", "in the in
the"); a doubled content word is more often meant (reduplication, contrast)."""
NEGATIVES = _set("don't doesn't didn't can't couldn't won't wouldn't isn't aren't wasn't weren't haven't "
                 "hasn't hadn't shouldn't mustn't mightn't ain't let's")
"""Contractions of function words whose stem is not one ("don't", "let's")."""
NOT_STUTTERS = frozenset({"like", "well"})
"""Function words whose double is a word of its own: "I like like him", "Well well"."""
KEEP_DOUBLE = frozenset({"had", "very", "no", "many", "really", "much", "far", "long", "do", "not"})
"""Function words whose immediate repeat is usually meant (grammar, emphasis,
"it's not not true")."""

_CARDINALS = sorted(_set(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "thousand million billion trillion dozen"))
_ORDINALS = sorted(_set(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth "
    "fiftieth sixtieth seventieth eightieth ninetieth hundredth thousandth millionth billionth"))
NUMBER_WORDS = frozenset(_CARDINALS + _ORDINALS + [w + "s" for w in _CARDINALS + _ORDINALS]
                         + [w[:-1] + "ies" for w in _CARDINALS if w.endswith("ty")])
"""A repeated number word is one number ("born in eighteen eighteen")."""

SAY_WORDS = frozenset({
    "say", "said", "think", "thought", "know", "knew", "believe", "mean", "meant", "tell", "told",
    "hope", "guess", "realize", "realise", "feel", "felt", "argue", "claim", "show", "sure", "aware",
    "clear", "true", "fact", "idea", "notice", "agree", "doubt", "suggest", "prove", "ensure",
    "assume", "expect", "find", "found", "learn", "learnt", "hear", "heard", "read", "see", "saw",
    "seen", "understand", "understood", "remember", "forget", "forgot", "admit", "explain",
    "mention", "decide", "discover", "figure", "wish", "worry", "worried", "glad", "afraid",
    "possible", "likely", "obvious", "important", "surprised", "convinced", "sorry", "given",
    "except", "such", "so", "now", "is", "was", "are", "were", "be", "been", "just", "than",
    "concerned", "suspect", "hate", "expectation", "chance", "odds", "extent", "sense", "proud",
    "lucky", "happy", "thankful", "mind", "minds", "feeling", "fear", "news", "word", "rumor",
})
"""Words a clause follows, joined by "that": `said that that was wrong`, `sure
that that is right`, `now that that's done`, `so that that never happens`."""
PLURALS = frozenset({"people", "men", "women", "children", "folks", "kids", "data", "police"})
"""Plural nouns without an -s: a demonstrative "that" cannot stand before them."""
COPULA_NOUNS = frozenset({
    "question", "problem", "thing", "point", "issue", "reason", "truth", "idea", "difference",
    "answer", "trick", "catch", "hope", "fear", "goal", "worry",
})
"""`the question is is the number even`, `the problem is is that`: a double copula."""
CLAUSE_SUBJECTS = frozenset({"what", "whatever", "all", "whoever", "who"})
"""`What it is is a tool`, `what he did did help`: a clause as subject, then its verb."""
OBJECT_THEN_SUBJECT = frozenset({"you", "it"})
"""After a verb the first copy is its object and the second may start a new
clause: "tell you you can", "I love it it's great"."""
BE_FORMS = frozenset({"is", "are", "was", "were", "will", "would", "might", "may", "can", "could",
                      "should", "must", "has", "have", "had", "used", "seems", "seem"})
"""What follows existential "there" ("there there are" is a stutter)."""
LOCATIVE_HEADS = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "am", "go", "goes", "went", "gone", "going",
    "get", "gets", "got", "getting", "come", "comes", "came", "coming", "live", "lives", "lived",
    "stay", "stays", "stayed", "put", "sit", "sat", "stand", "stood", "over", "in", "out", "up", "down",
    "from", "back", "around", "right", "near", "through", "it", "them", "him", "her",
})
"""Words a locative "there" completes ("we got there there was nobody")."""
PARTICLES = frozenset({"in", "on", "up", "out", "off", "over", "down", "back", "around", "through",
                       "by", "away", "along"})
PHRASAL_HEADS = frozenset({
    "come", "go", "get", "log", "sign", "check", "move", "turn", "hand", "put", "give", "take", "bring",
    "set", "pick", "drop", "fill", "plug", "cut", "stay", "stand", "sit", "look", "show", "break", "call",
    "pull", "run", "walk", "kick", "let", "lock", "grow", "hold", "hang", "carry", "keep", "pass", "fall",
    "jump", "step", "settle", "hop", "tune", "weigh", "chip", "pitch", "sum", "shut", "switch", "clean",
    "catch", "end", "wake", "throw", "send", "cash", "fit", "dig", "sink", "zoom", "stop", "drive", "ride",
    "fly", "head", "back", "play", "work", "hurry", "calm", "sneak", "line", "write", "make", "shake",
    "cross", "rule", "win", "turned", "came", "went", "got", "gave", "took", "brought", "ran", "fell",
    "held", "kept", "caught", "threw", "sent", "stood", "sat", "broke", "shook", "wrote", "made", "won",
    "drove", "rode", "flew", "dug", "sank", "woke", "hung",
})
"""Verbs that take a particle: "log in in the morning", "turn it in in time"."""
MAIN_VERBS = frozenset({"do", "does", "did", "have", "has", "had"})
"""Auxiliaries that are verbs too: "just do it it works"."""
THINK_VERBS = frozenset({"think", "thought", "guess", "suppose", "reckon", "assume"})
"""Verbs followed by a clause, never by an object and then a clause."""
POSSESSIVES = frozenset({"my", "your", "his", "her", "its", "our", "their"})
OBJECTS = frozenset({"it", "them", "him", "her", "me", "us", "this", "that", "you"})
NAMES_TOO = frozenset({"will", "may"})
"""Function words that are also names: "Will will be reading first"."""
INTERJECTIONS = frozenset({"oh", "ha", "huh", "hum"})
"""`uh oh`, `ah ha`, `uh huh`: a filler word that is part of an interjection stays."""
ANSWERS = frozenset({("mm", "hmm"), ("uh", "uh"), ("mm", "mm"), ("uh", "huh"), ("mhm", "mhm")})
"""Two filler-shaped words that answer yes or no ("Mm hmm, that's right", "Uh
uh, no way") when they stand on their own."""
UNITS = frozenset({"mm", "hm"})
"""Fillers that are also units after a number ("5 mm")."""
OPENERS = frozenset({
    "so", "and", "but", "or", "the", "a", "an", "it", "it's", "we", "they", "you", "he", "she",
    "that", "that's", "this", "there", "there's", "what", "when", "where", "why", "how", "if",
    "is", "are", "was", "well", "yes", "no", "now", "then", "because", "in", "on", "at", "to",
    "for", "with", "my", "our", "your", "i'm", "we're", "they're", "do", "does", "can", "will",
})
"""Common sentence openers: "So So now" at a sentence start is a stutter; other
capitalised doubles there may be a name ("Bora Bora is nice")."""
SOOTHING = frozenset({"now", "there", "here"})
"""Said twice to soothe or cheer: "Now, now, nobody's in trouble"."""
PIVOTS = frozenset({"it", "you", "that", "this", "there", "here", "her", "so", "then", "now", "what",
                    "too"})
"""Words that may end a clause and open the next: "do it, it works"."""
NOT_AN_END = frozenset({"the", "a", "an", "my", "your", "our", "their", "its", "of", "and", "but", "or",
                        "i", "we", "they", "he", "she"})
"""Words that cannot end a phrase: a comma after one is a pause, so "get the,
the pan" is a stutter, where "on it, it seems" is two clauses."""
DISCOURSE = frozenset({
    "well", "yeah", "yes", "no", "okay", "ok", "oh", "now", "right", "look", "listen", "see", "anyway",
    "actually", "honestly", "basically", "alright", "sure", "hey", "wow", "like", "yep", "nope",
    "thanks", "obviously", "certainly", "first", "second", "finally", "however", "man", "guys",
    "exactly", "absolutely", "anyways", "plus", "sorry",
})
"""Words that make a clause of their own, closed by a comma ("Well, I think",
", like, a lot"): the comma stays when a filler after it goes."""
CONTINUES = (DETERMINERS - {"this", "these", "those", "all", "both", "either", "neither"}) | POSSESSIVES \
    | PREPOSITIONS | CONJUNCTIONS | AUXILIARIES | {"i", "we", "they", "he", "she", "that", "to", "just"}
"""Words after which the sentence must go on: a comma after one framed the filler."""
SUBJECTS = frozenset({"i", "we", "you", "he", "she", "they", "i'm", "we're", "you're", "he's", "she's",
                      "they're", "i've", "we've", "you've", "they've", "i'd", "we'd", "you'd", "he'd",
                      "she'd", "they'd", "i'll", "we'll", "you'll", "he'll", "she'll", "they'll"})
"""Words that open a clause of their own."""
DISCOURSE_PHRASES = frozenset({("you", "know"), ("i", "mean"), ("of", "course"), ("i", "guess"),
                               ("you", "see"), ("in", "fact"), ("by", "the", "way"), ("thank", "you")})
SUBORDINATORS = frozenset({"when", "if", "because", "although", "though", "while", "since", "after",
                           "before", "once", "unless", "until", "as", "whenever"})
"""A clause opened by one of these ends at its comma ("When we got there, the door")."""
CONTRACTED = {"s": "is", "re": "are", "ve": "have", "ll": "will", "d": "would", "m": "am"}
MAX_PHRASE = 4
SUBJECT_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they"})
CLAUSE_OPENERS = SUBORDINATORS | WH_WORDS | {"that"}
ARTICLES = frozenset({"a", "an"})
RUN_STUTTERS = NOT_AN_END | {"so", "then", "to"}
PHRASE_END = frozenset(",.!?;:…")
CLOSING_WORDS = frozenset({"well", "yeah", "yes", "no", "okay", "oh", "anyway", "right"})
COPULA_SUBJECTS = frozenset({"that", "it", "he", "she", "there", "they", "you", "we", "what"})
WH_OBJECTS = frozenset({"what", "whatever", "which", "who", "whom", "that"})
SO_VERBS = frozenset({"think", "thought", "guess", "guessed", "hope", "hoped", "imagine", "imagined",
                      "suppose", "supposed", "believe", "believed", "expect", "expected", "afraid",
                      "say", "said", "says", "tell", "told"})
WHOLE_ENDS = frozenset({"know", "agree", "so", "too"})
WHOLE_MIDDLES = frozenset({"do", "don't", "did", "didn't", "not", "really", "just", "think", "guess",
                           "hope", "suppose", "believe"})
BOUNDARY = re.compile(r"[.?!…;:\"“”‘’()\[\]]|(?<!\w)'|'(?!\w)")

DASHES = frozenset("—–")
TOKEN_CORE = re.compile(
    r"[—–]+|--+|[\"'“‘(\[]*(?P<word>(?:(?![—–]|--)\S)*?)[\"'”’)\].,;:!?…]*(?=\s|[—–]|--|$)")
"""A token: a dash (spaced or not), or a run of non-space: opening quotes and
brackets, the word, closing punctuation."""
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "vs", "e.g", "i.e",
                           "gen", "lt", "sgt", "capt", "rev", "hon"})
"""Full stops that end no sentence ("Mr. Chen")."""
ENDS_SENTENCE = re.compile(r"[.?!…][\"'”’)]*$")
OPEN_QUOTES = {'"': '"', "“": "”", "‘": "’", "'": "'"}
OPENING_MARKS = frozenset(OPEN_QUOTES)
CLOSERS = frozenset("\"'”’)]")
"""Closing quotes and brackets: what they close stays."""
CLOSING_MARKS = frozenset(OPEN_QUOTES.values())


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    """The token's characters, punctuation included, in the paragraph's verbatim."""
    core_start: int
    core_end: int
    """The word itself, without surrounding punctuation."""
    word: str
    """Lowercased core, curly apostrophes made straight; empty for a dash."""
    dash: bool = False
    """A dash standing between words, spaced or not ("—", "--")."""


@dataclass(frozen=True, slots=True)
class Edit:
    """Drop `verbatim[start:end]` (replacement "") or replace it (a capital, or
    a space where dashes around a filler closed up)."""

    start: int
    end: int
    replacement: str
    kind: str
    """`filler`, `repeat` or `case`."""


def tokens(text: str) -> list[Token]:
    """Every token with its word core, in one regex pass."""
    out = []
    for m in TOKEN_CORE.finditer(text):
        if m.start() == m.end():
            continue
        if m.group("word") is None:  # a dash
            out.append(Token(m.start(), m.end(), m.start(), m.start(), "", True))
        else:
            word = m.group("word").lower().replace("’", "'")
            if len(word) > 1 and word.endswith("-"):
                word = word[:-1]  # "I- I think": a word cut off
            out.append(Token(m.start(), m.end(), m.start("word"), m.end("word"), word))
    return out


def _is_dash(tok: Token) -> bool:
    return tok.dash


def is_filler(text: str, tok: Token) -> bool:
    """uh, Uh, UH? Lowercase or capitalised only: `ER` and `UM` may be acronyms."""
    core = text[tok.core_start : tok.core_end]
    if tok.word not in FILLERS:
        return False
    if core.isupper() and len(core) > 1:
        return tok.word != "er"  # ER is the emergency room
    return core.islower() or (core[0].isupper() and core[1:].islower()) or len(core) == 1


def _number(word: str) -> bool:
    if any(c.isdigit() for c in word):
        return True
    return bool(word.strip("-")) and all(p in NUMBER_WORDS for p in word.split("-") if p)


def is_function(word: str) -> bool:
    """A closed-class word, or a contraction of one ("it's", "we're", "don't")."""
    if word in FUNCTION or word in NEGATIVES:
        return True
    stem, apostrophe, rest = word.partition("'")
    return bool(apostrophe) and stem in FUNCTION and rest in {"s", "re", "ve", "ll", "d", "m"}


def _sentence_start(text: str, toks: list[Token], i: int) -> bool:
    """Nothing before token i in the paragraph, or the token before ends a
    sentence; a bracketed tag between does not count ("nineteen. [laughs] Um,")."""
    k = i - 1
    while k >= 0 and text[toks[k].end - 1] == "]":
        while k >= 0 and "[" not in text[toks[k].start : toks[k].core_start + 1]:
            k -= 1
        k -= 1
    return k < 0 or (bool(ENDS_SENTENCE.search(text[toks[k].start : toks[k].end]))
                     and toks[k].word not in ABBREVIATIONS)


def _comma_after(text: str, tok: Token) -> bool:
    return text[tok.core_end : tok.end].startswith(",")


def quoted(text: str, toks: list[Token]) -> list[bool]:
    """For each token, whether it lies inside quotation marks (an opening mark
    with its closing one later in the paragraph; an apostrophe counts only then)."""
    inside = [False] * len(toks)
    opened: int | None = None
    closer = ""
    for k, tok in enumerate(toks):
        if opened is None:
            lead = text[tok.start : tok.core_start]
            mark = next((c for c in lead if c in OPEN_QUOTES), None)
            if mark is None:
                continue
            opened, closer = k, OPEN_QUOTES[mark]
        if closer in text[tok.core_end : tok.end]:
            inside[opened : k + 1] = [True] * (k + 1 - opened)
            opened = None
    return inside


@dataclass(frozen=True, slots=True)
class Repeat:
    """The n words at token i, said again at once (the second copy starts at i + n)."""

    text: str
    toks: list[Token]
    i: int
    n: int
    contraction: bool
    """The second copy ends in a contraction of the first's last word ("it it's")."""
    inside_quotes: list[bool]
    dash: int = 0
    """1 when a dash stands between the copies ("I—I don't")."""

    @property
    def second(self) -> int:
        """The index of the second copy's first token."""
        return self.i + self.n + self.dash

    @property
    def last(self) -> int:
        """The index of the second copy's last token."""
        return self.second + self.n - 1

    @property
    def words(self) -> list[str]:
        return [t.word for t in self.toks[self.i : self.i + self.n]]

    @property
    def prev(self) -> str:
        return self.toks[self.i - 1].word if self.i > 0 else ""

    @property
    def after(self) -> str:
        k = self.last + 1
        return self.toks[k].word if k < len(self.toks) else ""

    @property
    def gap(self) -> str:
        """What lies between the two copies."""
        return self.text[self.toks[self.i + self.n - 1].core_end : self.toks[self.second].core_start]

    def opens(self, k: int) -> bool:
        """Token k starts a sentence or follows a comma."""
        return _sentence_start(self.text, self.toks, k) or _comma_after(self.text, self.toks[k - 1])


def _number_repeat(r: Repeat) -> bool:
    """"born in eighteen eighteen", "nineteen ninety nineteen ninety": a number."""
    return any(_number(w) for w in r.words)


def _across_a_boundary(r: Repeat) -> bool:
    """"repair it. It may", 'the word "word"', "What do you want to do? You
    want to": a sentence end or a quote between the copies or inside them."""
    return bool(BOUNDARY.search(r.text[r.toks[r.i].core_end : r.toks[r.last].core_start]))


def _across_a_pause(r: Repeat) -> bool:
    """Across a comma or a dash a function word repeats by accident ("get the,
    the pan", "I—I don't", "was, was"), unless it can end one clause and open
    the next ("on it, it seems", "I think so, so we left"), or a clause opens
    with it ("So, so")."""
    if not ("," in r.gap or DASHES & set(r.gap) or "--" in r.gap):
        return False
    opener = r.opens(r.i) or (r.prev in CONJUNCTIONS and r.opens(r.i - 1))
    return not opener and r.words[-1] in PIVOTS


def _in_quotes(r: Repeat) -> bool:
    """'yelling "faster faster"': quoted words are given as they were said."""
    return all(r.inside_quotes[r.i : r.last + 1])


def _content_words(r: Repeat) -> bool:
    """"the tom tom drum", "coffee coffee or decaf", "Defense, defense": a repeat
    of content words only is reduplication, contrast or a chant."""
    return not any(is_function(w) and w not in NOT_STUTTERS for w in r.words)


def _names(r: Repeat) -> bool:
    """"I think Will will know", "Walla Walla": a name, then a word or the name again."""
    if r.contraction:
        return False  # "So That that's": a capital in captions, not a name
    text, toks, i = r.text, r.toks, r.i
    one, two = text[toks[i].core_start], text[toks[r.second].core_start]
    start = _sentence_start(text, toks, i)
    if one.isupper() and two.islower() and (not start or r.words[0] in NAMES_TOO):
        return True
    me = r.words[0] == "i" or r.words[0].startswith("i'")
    return one.isupper() and two.isupper() and not me and (not start or r.words[0] not in OPENERS)


def _idiom_chain(r: Repeat) -> bool:
    """"year after year after year", "decades and decades and": a word linked to
    itself again and again, or a list; "and then and then" restarts a clause."""
    if r.n > 1 and {"and", "or"} & set(r.words[1:]):
        return True
    if r.n != 2:
        return False
    a, b = r.words

    def link(word: str, other: str) -> bool:
        """`word` links `other` to itself: "year after year", "another and another";
        in "in the in the in the" neither links the other."""
        return word in {"and", "or"} or (word in FUNCTION and not is_function(other))

    return (link(b, a) and r.after == a) or (link(a, b) and r.prev == b)


def _exclaimed(r: Repeat) -> bool:
    """"Come on, come on!": an exclamation repeats on purpose."""
    last = r.toks[r.last]
    return "!" in r.text[last.core_end : last.end]


def _stands_alone(r: Repeat) -> bool:
    """"Now now, don't cry", "There, there.", "it was so so.": a double that
    ends its phrase restarts nothing."""
    if r.n != 1 or r.contraction or r.words[0] in NOT_AN_END:
        return False
    if r.words[0] in SOOTHING and r.gap.strip() in ("", ",") and r.opens(r.i) \
            and r.after not in BE_FORMS:
        return True  # "now now don't cry", "There, there."
    if r.gap.strip():
        return False
    second = r.toks[r.second]
    return bool(re.match(r"[,.!?;:…]", r.text[second.core_end : second.end]))


def _two_jobs(r: Repeat) -> bool:
    """One word, twice, where each copy may have its own job."""
    if r.n != 1:
        return False
    w, prev, after = r.words[0], r.prev, r.after
    if r.contraction:  # "that that's": the second copy is "that" and a verb
        after = CONTRACTED.get(r.toks[r.second].word.partition("'")[2], "")
    if w in KEEP_DOUBLE and not r.contraction:
        return True
    if w == "maybe" and after == "not":
        return True  # "maybe, maybe not"
    if w == "so" and prev in SO_VERBS:
        return True
    if w in {"so", "too"} and _joined_to_prev(r) and (
            prev in BE_FORMS | {"be", "been", "am", "felt", "feel", "looks", "looked"}
            or prev.endswith(("'s", "'re", "'m"))):
        return True  # "it was so so", "it's so so good": so-so, or emphasis
    before = {t.word for t in r.toks[max(0, r.i - 6) : r.i]}
    if w in {"is", "was"} and (COPULA_NOUNS & before or after == "that"):
        return True  # "the big question in all of AI is is reasoning enough", "my worry is is that"
    if w in AUXILIARIES and CLAUSE_SUBJECTS & {t.word for t in r.toks[max(0, r.i - 4) : r.i]}:
        return True  # "What it is is a tool"
    if w == "her":
        return True  # "ask her her name": object, then possessive
    if prev in ARTICLES and (w in CONJUNCTIONS or w in PREPOSITIONS):
        return True  # "for a while while we waited"
    if w in {"you", "it", "that"} and prev in PREPOSITIONS and prev not in PARTICLES | SUBORDINATORS | {"than"} \
            and (w == "that" or prev != "like"):
        return True  # "the cost of it it has", "things like that that we need"
    if w == "you" and after == "know" and not r.contraction and not _clause_after_know(r):
        return True  # "if you you know have a family"
    if w == "that":
        return _that_that(r, prev, after)
    if w in OBJECT_THEN_SUBJECT and _verb_before(r):
        return True  # "tell you you can", "I love it it's great"
    if w == "there":
        return after not in BE_FORMS or prev in LOCATIVE_HEADS  # "There there, it's all right"
    if w in PARTICLES:
        two_back = r.toks[r.i - 2].word if r.i > 1 else ""
        return bool(_stems(prev) & PHRASAL_HEADS) or (prev in OBJECTS and bool(two_back)
                                                      and two_back not in FUNCTION)  # "log in in"
    return False


def _joined_to_prev(r: Repeat) -> bool:
    """Nothing but a space between the word before and the repeat."""
    return r.i > 0 and not r.text[r.toks[r.i - 1].core_end : r.toks[r.i].core_start].strip()


def _verb_before(r: Repeat) -> bool:
    """The word before the repeat may be a verb taking it as object: a content
    word, not a number, not a noun after an article ("the endpoint it it
    opens"), with no punctuation between."""
    if r.i == 0 or (is_function(r.prev) and r.prev not in MAIN_VERBS) or _number(r.prev):
        return False
    if r.prev.endswith("ly") and not r.prev.endswith("ply") and len(r.prev) > 4:
        return False  # "honestly it it worked": an adverb
    if r.prev in CLOSING_WORDS:
        return False
    if r.prev in THINK_VERBS:
        return False  # "I think you you said": a clause follows, not an object
    if not _joined_to_prev(r):
        return False
    return r.i < 2 or r.toks[r.i - 2].word not in DETERMINERS | POSSESSIVES


def _stems(word: str) -> set[str]:
    """The forms a verb may have come from: "logged" -> log, "moving" -> move."""
    out = {word}
    for ending in ("ing", "ed", "es", "s", "d"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[: -len(ending)]
            out |= {stem, stem + "e", stem[:-1]}
    return out


def _that_that(r: Repeat, prev: str, after: str) -> bool:
    """"the box that that courier left" (relative, then demonstrative) and "said
    that that was wrong" are meant; "a team that that tries" is a stutter:
    no demonstrative stands before a verb, a plural or a pronoun."""
    # A capital mid-sentence starts a new sentence in captions: "so so That that's".
    capital = r.text[r.toks[r.i].core_start].isupper()
    clause = bool(_stems(prev) & SAY_WORDS) and not capital
    if r.contraction:
        return clause
    if not after or is_function(after):
        return clause and after in AUXILIARIES | NEGATIVES
    if after in PLURALS or (after.endswith("s") and not after.endswith(("ss", "us", "is"))):
        return clause  # "that that makes sense": a subject, then its verb
    return True


def _clause_after_know(r: Repeat) -> bool:
    """"but you you know it's": after "you know" a clause starts, so the
    first "you" is no subject waiting for its verb."""
    k = r.last + 2
    nxt = r.toks[k].word if k < len(r.toks) else ""
    return nxt in SUBJECTS or nxt.endswith("'s") or nxt in WH_WORDS or nxt in {"that", "if"}


def _ends_phrase_at(r: Repeat, k: int) -> bool:
    tok = r.toks[k]
    return any(c in PHRASE_END for c in r.text[tok.core_end : tok.end])


def _said_again(r: Repeat) -> bool:
    """A phrase said again that ends its phrase, "that's true" twice, "at the
    beach, the beach is"."""
    if r.n < 2:
        return False
    words = r.words
    last = words[-1]
    if last in NOT_AN_END or (last in PREPOSITIONS and last not in PARTICLES) or last in CONJUNCTIONS:
        return False
    if r.last + 1 == len(r.toks) or _ends_phrase_at(r, r.last):
        return True
    if r.after in CLOSING_WORDS:
        return True
    if words[0] in DETERMINERS | POSSESSIVES and r.prev in PREPOSITIONS and "," in r.gap \
            and (r.after in AUXILIARIES or r.after in NEGATIVES):
        return True
    stem, _, verb = words[0].partition("'")
    return verb in ("s", "re") and stem in COPULA_SUBJECTS and not is_function(last) \
        and not any(w in DETERMINERS or w in POSSESSIVES for w in words[1:])


def _whole_clause(r: Repeat) -> bool:
    """"I know I know" (read from any word of the copy), "where was that was
    that", "they have they have they moved": a clause complete in itself."""
    if r.n < 2:
        return False
    said = [t.word for t in r.toks]
    for a in range(r.i, r.i + r.n):
        copy = said[a : a + r.n]
        if said[a + r.n : a + 2 * r.n] != copy:
            break
        if copy[0] in ("i", "we") and copy[-1] in WHOLE_ENDS and all(w in WHOLE_MIDDLES for w in copy[1:-1]):
            return True
    if r.n == 2 and r.words[0] in ("is", "was", "are", "were") and r.words[1] in PIVOTS \
            and r.prev in WH_WORDS:
        return True
    return r.words[-1] in ("have", "has", "had") and r.after in ("i", "we", "they", "he", "she")


def _ends_a_clause(r: Repeat) -> bool:
    """A clause opened by a wh-word, a subordinator or "that" ends with the first copy."""
    if r.n < 2:
        return False
    words = [t.word for t in r.toks]
    first = r.words[0]
    if first in SUBJECTS or first in SUBJECT_PRONOUNS or (
            first in AUXILIARIES and r.words[1] in SUBJECT_PRONOUNS):
        openers = CLAUSE_OPENERS if not all(map(is_function, r.words)) else WH_OBJECTS
        return any(w in openers for w in words[_clause_start(r) : r.i])
    k = r.i - 1
    return k > 0 and words[k] in SUBJECT_PRONOUNS and words[k - 1] in CLAUSE_OPENERS and (
        words[k - 1] in WH_OBJECTS or not all(map(is_function, r.words)))


def _clause_start(r: Repeat) -> int:
    """Where the clause the repeat stands in starts, six words back at most:
    after a sentence end or a comma."""
    k = r.i
    toks = r.toks
    while k > max(0, r.i - 6) and not any(c in PHRASE_END for c in r.text[toks[k - 1].core_end : toks[k - 1].end]):
        k -= 1
    return k


def _letters(r: Repeat) -> bool:
    """Letters spelled out: "T I A A", "a a r p", "the u s the u s"."""
    if any(len(w) == 1 and w.isalpha() and w not in "ai" for w in r.words):
        return True
    if not all(len(w) == 1 for w in r.words):
        return False
    return any(len(w) == 1 and w not in r.words for w in (r.prev, r.after))


RUN_REACH = 8
"""How many copies on either side a run is followed: eight are emphasis enough."""


def _emphasis(r: Repeat) -> bool:
    """Three copies or more of words that can end a phrase: kept whole."""
    w = r.words[-1]
    if w in RUN_STUTTERS or (w in PREPOSITIONS and w not in PARTICLES) or w in CONJUNCTIONS:
        return False
    n = 1 if len(set(r.words)) == 1 else r.n
    toks, text = r.toks, r.text
    words = [t.word for t in toks]
    copy = words[r.i : r.i + n]

    def cut(a: int, b: int) -> bool:
        return bool(BOUNDARY.search(text[toks[a].core_end : toks[b].core_start]))

    def same(k: int) -> bool:
        return k >= 0 and k + n <= len(toks) and words[k : k + n] == copy and not cut(k, k + n - 1)

    a = r.i
    while r.i - a < RUN_REACH * n and same(a - n) and not cut(a - 1, a):
        a -= n
    b = first_b = r.last - n + 1  # the last copy's start
    while b - first_b < RUN_REACH * n:  # a bounded look: a run of hundreds costs no more
        k = b + n
        while k + 1 < len(toks) and words[k] == words[k + 1] == copy[0] and n > 1:
            k += 1
        if not same(k) or cut(b + n - 1, k):
            break
        b = k
    if (b + n - a) // n < 3:
        return False
    return n > 1 or b - first_b >= RUN_REACH * n or b + 1 == len(toks) or _ends_phrase_at(r, b)


def _copies_begin(r: Repeat, words: list[str], a: int, n: int) -> tuple[int, bool]:
    """Where the run of `n`-word copies read from token `a` begins (a sentence
    end ends it), and whether that was seen within `SHIFT_REACH` copies back
    (else the run is longer)."""
    toks = r.toks
    for _ in range(SHIFT_REACH):
        if a - n < 0 or words[a - n : a] != words[a : a + n] \
                or BOUNDARY.search(r.text, toks[a - n].core_end, toks[a].core_start):
            return a, True
        a -= n
    return a, False


def _shifted(r: Repeat) -> bool:
    """"I don't know, I don't know, I don't know": the same words read from a
    word later ("don't know, I" twice) are the same repetition; kept if it is
    kept read from its start, the reading whose run begins first. ("in the in
    the in the" read as "the in" begins a word after its run, so it is not.)"""
    if r.n < 2 or r.dash or r.contraction:
        return False
    words = [t.word for t in r.toks]
    here, seen_here = _copies_begin(r, words, r.i, r.n)
    for k in range(1, r.n):
        a = r.i - k
        if a < 0 or words[a : a + r.n] != words[a + r.n : a + 2 * r.n] or len(r.toks) < a + 2 * r.n:
            break
        begins, seen = _copies_begin(r, words, a, r.n)
        if not (seen and seen_here and begins < here):
            continue
        other = Repeat(r.text, r.toks, a, r.n, False, r.inside_quotes)
        if not _across_a_boundary(other) and (_said_again(other) or _emphasis(other) or _whole_clause(other)):
            return True
    return False


SHIFT_REACH = 64
"""Copies `_shifted` looks back over for where a run begins: a run longer than
this (said 64 times) is a stutter loop, read as it comes."""


KEEP_RULES = (_number_repeat, _across_a_boundary, _across_a_pause, _in_quotes, _content_words, _names,
              _idiom_chain, _exclaimed, _stands_alone, _two_jobs, _said_again, _whole_clause, _ends_a_clause,
              _letters, _emphasis, _shifted)
"""Each says why a repeat is meant; one is enough to keep it."""


def _keep_repeat(r: Repeat) -> bool:
    return any(rule(r) for rule in KEEP_RULES)


def find_edits(text: str, fillers: bool = True, stutters: bool = True) -> list[Edit]:
    """Every filler and stutter in one paragraph (see `edits_of`)."""
    return list(edits_of(text, fillers, stutters))


@functools.lru_cache(maxsize=1 << 16)
def edits_of(text: str, fillers: bool = True, stutters: bool = True) -> tuple[Edit, ...]:
    """Every filler and stutter in one paragraph, as edits of its verbatim text.
    A pure function of the text, cached: a sidecar edit re-cleans nothing.

    Fillers go first; repeats are then found in the text as it reads without
    them (so "from uh from" is a repeat, and cleaning twice changes nothing),
    and their edits are mapped back onto the verbatim."""
    edits = _filler_edits(text) if fillers else []
    if stutters:
        without, where = _applied(text, edits)
        for e in _repeats(without):
            start = where[e.start]
            end = where[e.end] if e.end < len(without) else len(text)
            edits.append(Edit(start, end if e.replacement == "" else start + 1, e.replacement, e.kind))
    edits = _merge(edits)
    drops = [e for e in edits if _is_drop(e)]
    return tuple(sorted((e for e in edits
                         if _is_drop(e) or not any(d.start <= e.start < d.end for d in drops)),
                        key=lambda e: e.start))


def _is_drop(e: Edit) -> bool:
    """Words removed (a space may stand in for dashes closed up), not a capital."""
    return not e.replacement.strip()


def _applied(text: str, edits: list[Edit]) -> tuple[str, list[int]]:
    """The text with `edits` applied, and for each of its characters the offset
    of the verbatim character it came from."""
    out: list[str] = []
    where: list[int] = []
    at = 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < at:
            continue
        out.append(text[at : e.start])
        where.extend(range(at, e.start))
        out.append(e.replacement)
        where.extend([e.start] * len(e.replacement))
        at = e.end
    out.append(text[at:])
    where.extend(range(at, len(text)))
    return "".join(out), where


def _answer(text: str, toks: list[Token], i: int) -> bool:
    """Tokens i and i + 1 are an answer on its own: "Mm hmm." "Uh uh, no way"."""
    if i + 1 >= len(toks) or (toks[i].word, toks[i + 1].word) not in ANSWERS:
        return False
    one, two = toks[i], toks[i + 1]
    alone_before = _sentence_start(text, toks, i) or _comma_after(text, toks[i - 1])
    return alone_before and not text[one.core_end : one.end] and (
        i + 2 == len(toks) or bool(text[two.core_end : two.end]))


def _run_start(text: str, toks: list[Token], i: int) -> int:
    """Where a run of fillers and dashes before token i begins: "Um, UM, the
    plan" reads from where the first filler stands once both are gone."""
    k = i
    while k > 0 and (_is_dash(toks[k - 1]) or _quiet_filler(text, toks[k - 1])):
        k -= 1
    return k


def _quiet_filler(text: str, tok: Token) -> bool:
    """A filler word that goes without leaving a mark: "um", "um,", "(um)"."""
    return tok.word in FILLERS and (text[tok.core_end : tok.end] in ("", ",") or _bracketed(text, tok))


def _bracketed(text: str, tok: Token) -> bool:
    """"(um)", "[uh]": a word alone in brackets."""
    return text[tok.start] in "([" and text[tok.end - 1] in ")]"


def _removable(text: str, toks: list[Token], i: int, inside: list[bool]) -> bool:
    """Token i is a filler that can go: not a unit ("5 mm"), not part of an
    interjection ("uh oh"), a title ("Um, Actually") or a mention ('"um"'),
    and in capitals ("HMM") only where a sentence starts."""
    tok = toks[i]
    if not is_filler(text, tok):
        return False
    if i and tok.word in UNITS and _number(toks[i - 1].word):
        return False
    if i + 1 < len(toks) and toks[i + 1].word in INTERJECTIONS:
        return False
    if _answer(text, toks, i) or (i and _answer(text, toks, i - 1)):
        return False
    core = text[tok.core_start : tok.core_end]
    if core.isupper() and len(core) > 1 and not _sentence_start(text, toks, _run_start(text, toks, i)):
        return False  # "we used an HMM for tagging"
    if inside[i] and all(t.word in FILLERS for t in _quotation(text, toks, inside, i) if t.word):
        return False  # 'if I hear "um" one more time', 'she went "Mm, mm, mm"': a sound quoted
    if i and toks[i - 1].word in {"word", "words"}:
        return False  # "the word um": a mention
    return not _in_title(text, toks, i, inside)


def _opens_quote(text: str, tok: Token) -> bool:
    return bool(set(text[tok.start : tok.core_start]) & OPENING_MARKS)


def _closes_quote(text: str, tok: Token) -> bool:
    return bool(set(text[tok.core_end : tok.end]) & CLOSING_MARKS)


def _quotation(text: str, toks: list[Token], inside: list[bool], i: int) -> list[Token]:
    """The tokens of the quotation token i stands in."""
    a, b = i, i
    while a > 0 and inside[a - 1] and not _opens_quote(text, toks[a]):
        a -= 1
    while b + 1 < len(toks) and inside[b + 1] and not _closes_quote(text, toks[b]):
        b += 1
    return toks[a : b + 1]


def _in_title(text: str, toks: list[Token], i: int, inside: list[bool]) -> bool:
    """'the podcast "Um, Actually"': a capitalised filler before another
    capitalised word, where no sentence starts or inside quotes, is a title."""
    core = text[toks[i].core_start : toks[i].core_end]
    if inside[i]:
        words = [text[t.core_start : t.core_end] for t in _quotation(text, toks, inside, i) if t.word]
        if len(words) > 1 and all(w[:1].isupper() for w in words):
            return True  # 'the song "Um Um Um Um Um Um"': every word capitalised
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if not core[:1].isupper() or nxt is None or not text[nxt.core_start : nxt.core_end][:1].isupper():
        return False
    if nxt.word == "i" or nxt.word.startswith("i'") or nxt.word in FILLERS:
        return False
    k = _run_start(text, toks, i)
    return inside[i] or not (_sentence_start(text, toks, k) or _comma_after(text, toks[k - 1]))


def _needs_mark(text: str, toks: list[Token], before: int, follow: Token | None) -> bool:
    """Whether the comma or dash after token `before` belongs to the sentence
    rather than to a filler that follows it: it closes a discourse word
    ("Well,", "you know,"), a name called ("Your Honor,") or an opening clause
    or phrase ("When I was a girl,", "At 2 a.m.,"). After a function word the
    sentence goes on ("we didn't have, um, power"), so the comma framed the filler."""
    if follow is not None and _opens_quote(text, follow):
        return True  # 'He said, "I don't know."'
    k = before
    while k > 0 and not _sentence_start(text, toks, k) and not _comma_after(text, toks[k - 1]):
        k -= 1
    words = tuple(t.word for t in toks[k : before + 1])
    if (len(words) == 1 and words[0] in DISCOURSE) or words in DISCOURSE_PHRASES:
        return True
    if words[-1] in CONTINUES or words[-1] in NEGATIVES or words[-1].partition("'")[2] in CONTRACTED:
        return False  # "there's, uh, the ability": a verb still wants its object
    if follow is not None and follow.word in SUBJECTS:
        return True  # "We tried, uh, we really tried": a new clause
    if len(words) > 1 and (words[0] in SUBORDINATORS or words[0] in PREPOSITIONS):
        # "If the pain gets worse—um—or if you notice": the clause goes on.
        return follow is None or follow.word not in {"and", "or", "but", "nor"}
    return len(words) > 1 and _sentence_start(text, toks, k) and all(
        text[t.core_start : t.core_start + 1].isupper() for t in toks[k : before + 1])


def _filler_edits(text: str) -> list[Edit]:
    """Every filler's edit. Fillers in a row ("Uh, um, so") are one run: what
    happens to the marks around them depends on the words either side."""
    toks = tokens(text)
    inside = quoted(text, toks)
    edits: list[Edit] = []
    capitals: list[int] = []
    i = 0
    while i < len(toks):
        if not _removable(text, toks, i, inside):
            i += 1
            continue
        last = _run_end(text, toks, i, inside)
        edit, capital = _run_edit(text, toks, i, last)
        edits.append(edit)
        if capital is not None:
            capitals.append(capital)
        i = last + 1
    for k in capitals:
        if k < len(toks) and _capitalisable(text[toks[k].core_start : toks[k].core_end]):
            first = toks[k].core_start
            edits.append(Edit(first, first + 1, text[first].upper(), "case"))
    return edits


def _run_end(text: str, toks: list[Token], i: int, inside: list[bool]) -> int:
    """The last filler of the run starting at token i: fillers follow one
    another with nothing but commas and dashes between ("Uh, um", "uh — um")."""
    last = i
    while _quiet_filler(text, toks[last]):
        k = last + 1
        while k < len(toks) and _is_dash(toks[k]):
            k += 1
        if k >= len(toks) or _opens_quote(text, toks[k]) or not _removable(text, toks, k, inside):
            break
        last = k
    return last


def _run_edit(text: str, toks: list[Token], a: int, b: int) -> tuple[Edit, int | None]:
    """The edit dropping fillers a..b, and which token then takes a capital."""
    first, end_tok = toks[a], toks[b]
    # "(um)": the brackets held nothing else and go with it.
    first_at = first.start if _bracketed(text, first) else first.core_start
    last_at = end_tok.end if _bracketed(text, end_tok) else end_tok.core_end
    after = text[last_at : end_tok.end]
    prev = toks[a - 1] if a else None
    nxt = toks[b + 1] if b + 1 < len(toks) else None
    dash_after = nxt is not None and _is_dash(nxt)
    follow_at = b + 2 if dash_after else b + 1
    follow = toks[follow_at] if follow_at < len(toks) else None
    closes = bool(set(after) & CLOSERS)
    starts = _sentence_start(text, toks, a) or _opens_quote(text, first)
    if starts and not closes:
        # "Um, but" -> "But": a capital filler hands its capital on; the
        # dash after it goes too ("Um — it's").
        capital = follow_at if text[first.core_start].isupper() else None
        return Edit(first_at, follow.start if follow else len(text), "", "filler"), capital
    if prev is not None and not _is_dash(prev) and (nxt is None or (after and after != ",")):
        # "improve uh." -> "improve."; "moment, ah." -> "moment."; '"yes, uh"'
        # -> '"yes"'; "I mean, uh" at the end -> "I mean": drop the word and
        # what came before it, keep the punctuation that closes the phrase.
        return Edit(_end_of_word(text, prev), last_at, "", "filler"), None
    if prev is not None and ((_comma_after(text, prev) and after.startswith(",")) or
                             (_is_dash(prev) and dash_after)):
        return _framed(text, toks, a, b, follow), None
    # From the word itself: an opening quote or bracket before it stays.
    if follow is None and prev is not None:
        return Edit(_end_of_word(text, prev), last_at, "", "filler"), None  # "went home (um)"
    return Edit(first_at, follow.start if follow else len(text), "", "filler"), None


def _end_of_word(text: str, tok: Token) -> int:
    """Where a word ends with the quotes and brackets that close after it
    ('"yes,"', "it)"), which stay when what follows goes."""
    trail = text[tok.core_end : tok.end]
    last = max((k for k, c in enumerate(trail) if c in CLOSERS), default=-1)
    return tok.core_end + last + 1


def _framed(text: str, toks: list[Token], a: int, b: int, follow: Token | None) -> Edit:
    """Fillers a..b between commas or dashes ("my brother, uh, moved", "the
    call—um—went"). The marks that only framed them go with them; a mark the
    sentence needs stays ("Well, uh, I think" -> "Well, I think")."""
    end = toks[b + 1].end if b + 1 < len(toks) and _is_dash(toks[b + 1]) else toks[b].end
    before = a - 2 if _is_dash(toks[a - 1]) and a > 1 else a - 1
    if _needs_mark(text, toks, before, follow):
        # Keep the mark before the fillers; drop them, their own mark and the space after.
        first_at = toks[a].start if _bracketed(text, toks[a]) else toks[a].core_start
        return Edit(first_at, follow.start if follow else end, "", "filler")
    start = _end_of_word(text, toks[before])
    if follow is None:
        return Edit(start, end, "", "filler")
    if text[start].isspace() or (end < len(text) and text[end].isspace()):
        return Edit(start, follow.start - 1 if text[follow.start - 1].isspace() else follow.start, "",
                    "filler")
    return Edit(start, end, " ", "filler")  # "call—um—went" -> "call went"


def _capitalisable(word: str) -> bool:
    """"but" -> "But", never "iPhone" -> "IPhone" or "eBay" -> "EBay"."""
    return bool(word) and word[0].islower() and not any(c.isupper() for c in word[1:])


def _repeat_at(text: str, toks: list[Token], i: int, inside: list[bool]) -> tuple[list[Edit], int]:
    """The edits collapsing a repeat that starts at token i, and how many tokens
    it spans (0: none starts there)."""
    w0 = toks[i].word
    if not w0:
        return [], 0
    for n in range(1, MAX_PHRASE + 1):
        dash = int(i + n < len(toks) and _is_dash(toks[i + n]))
        if i + 2 * n + dash > len(toks):
            break
        w1 = toks[i + n + dash].word
        if w1 != w0 and not (n == 1 and w1.startswith(w0 + "'")):
            continue  # cheap test first: most words start no repeat
        one = [t.word for t in toks[i : i + n]]
        two = [t.word for t in toks[i + n + dash : i + 2 * n + dash]]
        if not all(any(c.isalnum() for c in w) for w in one):
            continue
        # Words then the same words ending in a contraction ("it it's", "when
        # you when you've"), or cut off ("I- I think"): keep the second copy.
        cut_off = text[toks[i + n - 1].core_end - 1] == "-" and one == two
        contraction = one[:-1] == two[:-1] and two[-1].startswith(one[-1] + "'") \
            and one[-1].isalpha() and not any(_number(w) for w in one)
        if cut_off or contraction:
            a, b = toks[i], toks[i + n + dash]
            if _keep_repeat(Repeat(text, toks, i, n, not cut_off, inside, dash)):
                continue
            out = [Edit(a.start, b.start, "", "repeat")]
            if text[a.core_start].isupper() and text[b.core_start].islower():
                out.append(Edit(b.core_start, b.core_start + 1, text[b.core_start].upper(), "case"))
            return out, 2 * n + dash
        if one != two or _keep_repeat(Repeat(text, toks, i, n, False, inside, dash)):
            continue
        # Drop from the end of the first copy's last word to the end of the
        # second copy's last word: the first copy keeps its case, the last
        # copy's punctuation stays ("So, so, so attention" -> "So attention").
        end = toks[i + 2 * n + dash - 1].core_end
        return [Edit(toks[i + n - 1].core_end, end, "", "repeat")], 2 * n + dash
    return [], 0


def _one_pass(text: str) -> list[Edit]:
    """Collapse every repeat found in one left-to-right scan (they do not overlap)."""
    toks = tokens(text)
    inside = quoted(text, toks)
    edits: list[Edit] = []
    i = 0
    while i < len(toks) - 1:
        found, span = _repeat_at(text, toks, i, inside)
        edits += found
        i += span or 1
    return edits


def _repeats(text: str) -> list[Edit]:
    """Collapse immediate repeats pass after pass, looking again at the text each
    pass leaves ("I I think I think" -> "I think I think" -> "I think"), and
    return the edits in the coordinates of `text`."""
    edits: list[Edit] = []
    current, where = text, list(range(len(text)))
    while found := _one_pass(current):
        for e in found:
            start = where[e.start]
            if e.replacement:
                edits.append(Edit(start, start + 1, e.replacement, e.kind))
            else:
                end = where[e.end] if e.end < len(current) else len(text)
                edits.append(Edit(start, end, "", e.kind))
        current, step = _applied(current, found)
        where = [where[k] for k in step]
    return edits


def _merge(edits: list[Edit]) -> list[Edit]:
    """Overlapping drops (a filler inside a repeat, repeated passes) become one."""
    drops = sorted((e for e in edits if _is_drop(e)), key=lambda e: (e.start, -e.end))
    out: list[Edit] = []
    for e in drops:
        if out and e.start <= out[-1].end:
            last = out[-1]
            if e.end > last.end:
                out[-1] = Edit(last.start, e.end, last.replacement or e.replacement, last.kind)
            continue
        out.append(e)
    return out + [e for e in edits if not _is_drop(e)]


def apply(text: str, edits: list[Edit]) -> str:
    """The cleaned text (for tests and tools; pages use spans)."""
    out, at = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        if e.start < at:
            continue
        out.append(text[at : e.start])
        out.append(e.replacement)
        at = e.end
    out.append(text[at:])
    return "".join(out)
