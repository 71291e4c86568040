"""Word classes: which words the filler and stutter rules treat how."""

from __future__ import annotations


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


def is_number(word: str) -> bool:
    """Digits, or number words ("twenty-one", "nineties")."""
    if any(map(str.isdigit, word)):
        return True
    return bool(word.strip("-")) and all(p in NUMBER_WORDS for p in word.split("-") if p)


def is_function(word: str) -> bool:
    """A closed-class word, or a contraction of one ("it's", "we're", "don't")."""
    if word in FUNCTION or word in NEGATIVES:
        return True
    stem, apostrophe, rest = word.partition("'")
    return bool(apostrophe) and stem in FUNCTION and rest in {"s", "re", "ve", "ll", "d", "m"}


MAX_PHRASE = 4
"""The longest phrase a stutter repeats ("in the middle of, in the middle of")."""

SUBJECT_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they"})
CLAUSE_OPENERS = SUBORDINATORS | WH_WORDS | {"that"}
"""Words that open a clause inside a sentence: what follows them up to a
subject's second start may be a whole clause ("what it would be, it would be")."""
ARTICLES = frozenset({"a", "an"})
"""After an article a function word is a noun: "for a while while we waited"."""
RUN_STUTTERS = NOT_AN_END | {"so", "then", "to"}
"""Words a run of three or more copies ("I I I think", "So, so, so") only ever
stutters on; any other run is said for emphasis ("me, me, me")."""
PHRASE_END = frozenset(",.!?;:…")
