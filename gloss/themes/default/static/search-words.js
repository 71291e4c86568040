// Words as gloss's search holds them, and as a query is read: folding, the
// commonest words, English endings, numbers written out, one typo. The same
// folding as gloss/search_records.py `words`; used by static/search.js.

const ENGLISH = document.documentElement.lang.toLowerCase().startsWith("en");

// The commonest English words: each is in nearly every record, so its file is the
// largest of the index and it narrows nothing; an unquoted query leaves them out
// when it has other words. A phrase in quotes keeps every word, to match it exactly.
export const COMMON = new Set(ENGLISH
  ? ("a an and are as at be but by do for from had has have he her his i if in is it its " +
     "me my not of on or our she so that the their them then there they this to was we were " +
     "what when which who will with would you your vs versus").split(" ")
  : []);

// Words as the index holds them: the same folding as gloss/search.py `words`. A
// word is a run of letters and digits, with an apostrophe inside ("don't") or a
// point between digits ("5.1"); words joined by hyphens are each a word, and so
// is the whole ("5-year-old").
const PIECE = String.raw`[\p{L}\p{N}]+(?:(?:'|(?<=\p{Nd})\.(?=\p{Nd}))[\p{L}\p{N}]+)*`;
const WORD = new RegExp(PIECE, "gu");
const CHUNK = new RegExp(String.raw`${PIECE}(?:[-\u2010\u2011]${PIECE})*`, "gu");
export const HYPHEN = /[-\u2010\u2011]/;
export function fold(text) {
  return text.toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "").replace(/\u2019/g, "'");
}
export function words(text) {
  const out = [];
  for (const [chunk] of fold(text).matchAll(CHUNK)) {
    const ps = chunk.split(HYPHEN);
    out.push(...ps);
    if (ps.length > 1) out.push(ps.join("-"));
  }
  return out;
}
// The words in order, without the hyphenated wholes: what a phrase is matched against.
export function parts(text) {
  return fold(text).match(WORD) || [];
}

// An unquoted query's terms: each word, words joined by hyphens as one term (found
// whole, else word by word), the commonest words left out when there are others.
export function queryTerms(query) {
  const all = [...new Set([...fold(query).matchAll(CHUNK)].map((m) => m[0].split(HYPHEN).join("-")))];
  const kept = all.filter((t) => !COMMON.has(t));
  return kept.length ? kept : all;
}

// In English, a word finds its other endings ("talking": "talk", "talks",
// "talked", and "Kurzweil's" finds "Kurzweil"): two words are forms of one when
// their stems are the same.
export function stem(w) {
  if (!ENGLISH) return w;
  w = w.replace(/'s?$/, ""); // "Kurzweil's": "Kurzweil"
  if (!/\p{L}$/u.test(w)) return w;
  const m = /^(.{3,}?)(ies|ied|ing|ed|es|ly|(?<!s)s)$/u.exec(w);
  let base = w;
  if (m && !(m[2] === "ly" && m[1].length < 4)) {
    base = m[1] + (m[2] === "ies" || m[2] === "ied" ? "y" : "");
    if ((m[2] === "ing" || m[2] === "ed") && /([^aeiouls])\1$/.test(base)) base = base.slice(0, -1);
  }
  return base.length > 3 && base.endsWith("e") ? base.slice(0, -1) : base;
}

// Numbers written out find their digits and back.
export const ALIASES = new Map();
if (ENGLISH) {
  ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " +
   "sixteen seventeen eighteen nineteen twenty").split(" ").forEach((w, n) => {
    ALIASES.set(w, [String(n)]);
    ALIASES.set(String(n), [w]);
  });
}

// One typo: a letter more, less, changed, or two letters swapped.
export function oneTypo(a, b) {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    return a.slice(i + 1) === b.slice(i + 1) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
export const TYPO_LETTERS = 5; // words this long or longer forgive one typo
