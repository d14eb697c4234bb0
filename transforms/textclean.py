"""Text clean-up shared by extraction: boilerplate paragraphs, charset decoding, language.

Boilerplate is recognised by generic patterns, not by one site's strings: cookie and consent
notices, share prompts, newsletter calls, template markup, and the start of a comment or
"related stories" section after the article (everything from there on is dropped, because
reader comments are full sentences that no per-paragraph rule would catch).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Sequence

import charset_normalizer

_FLAGS = re.IGNORECASE

COOKIE_NOTICE = re.compile(
    r"\b(we|our partners|this (web)?site|our (web)?site)\b[^.]{0,80}\b(uses?|sets?|stores?)\b[^.]{0,20}\bcookies\b"
    r"|\bcookie (policy|settings|preferences|consent|notice|banner)\b"
    r"|\b(accept|reject|allow|manage)\b[^.]{0,20}\bcookies\b"
    r"|\bby (continuing|clicking)\b[^.]{0,80}\b(agree|accept|consent)\b"
    r"|\bwe value your privacy\b"
    r"|\b(we|our \d* ?partners)\b[^.]{0,60}\bstore and/or access information on a device\b",
    _FLAGS,
)
CONSENT_BUTTON = re.compile(
    r"^(ok|okay|got it|ok,? got it|ok,? go it|i agree|agree|i accept|accept|accept all|reject|reject all|"
    r"decline|allow all|allow cookies|manage (cookies|preferences|options|settings)|cookie settings|"
    r"learn more|more info(rmation)?|more options|continue|close|dismiss|yes,? i agree)[.!]?$",
    _FLAGS,
)
TEMPLATE_MARKUP = re.compile(r"^(#\w+=\([^)]*\)\s*)+$|\{\{[^}]*\}\}|^\[\w+[^\]]*\]$")
SHARE_WORDS = frozenset(
    {
        "share",
        "share this",
        "share this article",
        "share this story",
        "share this page",
        "share article",
        "tweet",
        "email",
        "e-mail",
        "print",
        "copy link",
        "copy",
        "link",
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "whatsapp",
        "telegram",
        "pinterest",
        "reddit",
        "messenger",
        "bluesky",
        "threads",
        "save",
        "comment",
        "comments",
        "share on facebook",
        "share on twitter",
        "share on x",
        "share on linkedin",
        "share on whatsapp",
        "share via email",
    }
)
PROMPT = re.compile(
    r"^(share (this|on|via)\b|follow us\b|like us on\b|subscribe\b|sign up\b|join (us|our)\b|"
    r"click here\b|tap here\b|download (our|the) app\b|get (our|the) (app|newsletter)\b|"
    r"advertisement$|sponsored( content)?$|ad$|skip to (main )?content$|skip navigation$|"
    r"read more$|read more:|related:|continue reading$|(also|more) read:|you (may|might) also like\b|"
    r"recommended( for you)?$|image (source|caption|credit)s?:|photo( credit)?:|"
    r"listen to (this|the) (article|story)\b|\d+ min(ute)?s? read$|"
    r"(please )?(do not|don'?t) spam\b|please (don'?t|do not) spam here\b)",
    _FLAGS,
)
MODERATION = re.compile(r"\bcomments? (are|is|will be) (reviewed|moderated|approved)\b", _FLAGS)
NEWSLETTER = re.compile(
    r"\b(subscribe|sign up)\b[^.]{0,40}\b(newsletter|our (daily|weekly) (email|briefing)|updates in your inbox)\b",
    _FLAGS,
)
COMMENT_SECTION = re.compile(
    r"^(post a comment|leave a (comment|reply)|add (a|your) comment|\d+\s+(comments?|responses?|replies)|"
    r"comments?( \(\d+\))?|reader comments|show comments|view comments|join the (conversation|discussion)|"
    r"have your say|what do you think\??|discussion|responses?)[.:!]?$",
    _FLAGS,
)
RELATED_SECTION = re.compile(
    r"^(related( (articles|stories|news|coverage|content|posts|reading))?|read (more|next)|more (from|on|stories|news)\b.*|"
    r"you (may|might) also (like|be interested in)|recommended( (stories|articles|for you))?|most (read|popular|viewed)|"
    r"trending( now)?|top stories|latest (news|stories)|further reading|see also)[.:!]?$",
    _FLAGS,
)
CREDIT_LINE = re.compile(
    r"^\(?\s*((additional|further) )?(reporting|writing|editing|research|compiled|edited|written|translated|produced)"
    r"( and (writing|editing|reporting))? by\b[^\n]{0,240}$",
    _FLAGS,
)
NOT_FOUND_PAGE = re.compile(
    r"\b(page|article|story|content|link)\b[^.]{0,40}\b(not (be )?found|cannot be found|can'?t be found|could not be found|"
    r"no longer (exists|available)|does not exist|doesn'?t exist|has (been )?(moved|removed|expired))\b"
    r"|\bcan(no|')?t find (that|this|the) (page|article|story)\b|\berror( code)?:? ?404\b|^404\b|\bpage not found\b",
    _FLAGS,
)
_SENTENCE_END = re.compile(r"[.!?…。．！？؟۔।॥။។][\"'”’»)\]」』）]*$")
_NO_SENTENCE_MARK = re.compile(r"[\u0e00-\u0eff]")
_SPLIT_SHARE = re.compile(r"\s*(?:[|/·•,;:]|\s-\s)\s*")


_UNSPACED_SCRIPTS: tuple[tuple[str, str, float], ...] = (
    ("han", "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff", 2.0),
    ("kana", "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f", 2.0),
    ("thai", "\u0e00-\u0e7f", 4.0),
    ("lao", "\u0e80-\u0eff", 4.0),
    ("tibetan", "\u0f00-\u0fff", 4.0),
    ("myanmar", "\u1000-\u109f", 4.0),
    ("khmer", "\u1780-\u17ff", 4.0),
)
"""Scripts written without spaces between words, and how many of their letters make a word.

Chinese words average under two characters and Japanese ones about two; Thai, Lao, Khmer,
Myanmar and Tibetan words about four letters (vowel signs and tone marks not counted). The
figures are deliberately low (a text is credited with fewer words than it has), so that a
threshold set in words for spaced scripts asks about as much of an unspaced one.
"""
_UNSPACED = tuple((name, re.compile(f"[{letters}]"), per_word) for name, letters, per_word in _UNSPACED_SCRIPTS)
_ANY_UNSPACED = re.compile("[" + "".join(letters for _, letters, _ in _UNSPACED_SCRIPTS) + "]")


def word_count(text: str) -> int:
    """How many words `text` holds, counted in the way its scripts are written.

    Space-separated scripts (Latin, Cyrillic, Arabic, Greek, Hangul, Devanagari …) count
    whitespace-separated tokens that hold a letter or digit. Letters of scripts written
    without spaces (Chinese, Japanese, Thai …) are counted as characters and turned into
    words by their script's letters-per-word figure. Mixed text adds both.
    """
    spaced = 0
    for token in text.split():
        if _ANY_UNSPACED.search(token):
            rest = _ANY_UNSPACED.sub(" ", token)
            spaced += sum(1 for part in rest.split() if any(ch.isalnum() for ch in part))
        elif any(ch.isalnum() for ch in token):
            spaced += 1
    unspaced = 0.0
    if _ANY_UNSPACED.search(text):
        for _name, pattern, per_word in _UNSPACED:
            letters = sum(1 for ch in pattern.findall(text) if unicodedata.category(ch).startswith("L"))
            unspaced += letters / per_word
    return spaced + int(unspaced)


def normalise_text(text: str) -> str:
    """NFC, no control characters, single spaces inside lines, lines trimmed."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C" or ch == "\u00ad")
    text = text.replace("\u00ad", "")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(lines)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text: blank-line separated, or one per line if there are no blank lines."""
    normalised = normalise_text(text).strip()
    if not normalised:
        return []
    if "\n\n" in normalised:
        blocks = [b.strip() for b in re.split(r"\n\s*\n", normalised) if b.strip()]
        paragraphs: list[str] = []
        for position, block in enumerate(blocks):
            lines = [line for line in block.split("\n") if line.strip()]
            # A header block (headline, byline, date) or a block with a short line before
            # its last (a list, a comment thread) is one paragraph per line; anything else
            # is hard-wrapped prose.
            is_header = position == 0 and all(len(line.split()) <= 25 for line in lines)
            if len(lines) > 1 and (is_header or any(len(line) < 40 for line in lines[:-1])):
                paragraphs.extend(lines)
            else:
                paragraphs.append(" ".join(block.split()))
        return paragraphs
    return [line for line in normalised.split("\n") if line.strip()]


def is_share_line(paragraph: str) -> bool:
    """A line made only of share-button labels ("Share | Facebook | Twitter | Email")."""
    lowered = paragraph.lower().strip(" .!:")
    if not lowered:
        return False
    if lowered.startswith(("share this article", "share this story", "share this page", "share on")):
        lowered = lowered.split(":", 1)[-1] if ":" in lowered else lowered
    parts = [p.strip(" .!:") for p in _SPLIT_SHARE.split(lowered) if p.strip(" .!:")]
    if not parts:
        return True
    words = [w for p in parts for w in ([p] if p in SHARE_WORDS else p.split())]
    return all(w in SHARE_WORDS for w in words)


def is_boilerplate(paragraph: str) -> bool:
    """True for paragraphs that are never part of a news story wherever they stand."""
    text = paragraph.strip()
    if not text:
        return True
    words = word_count(text)
    if TEMPLATE_MARKUP.search(text) and words <= 12:
        return True
    if CONSENT_BUTTON.match(text) or is_share_line(text):
        return True
    if words <= 60 and (COOKIE_NOTICE.search(text) or NEWSLETTER.search(text) or MODERATION.search(text)):
        return True
    if words <= 40 and CREDIT_LINE.match(text):
        return True
    return words <= 25 and bool(PROMPT.match(text))


def is_not_found_page(title: str | None, paragraphs: Sequence[str]) -> bool:
    """A page that says it is an error page ("Sorry, we can't find that page") though served with 200."""
    words = sum(word_count(p) for p in paragraphs)
    if words > 150:
        return False
    return bool((title and NOT_FOUND_PAGE.search(title)) or any(NOT_FOUND_PAGE.search(p) for p in paragraphs[:3]))


def is_section_break(paragraph: str) -> bool:
    """A heading that opens the comments or the related-links block after an article."""
    text = paragraph.strip()
    return word_count(text) <= 6 and bool(COMMENT_SECTION.match(text) or RELATED_SECTION.match(text))


def looks_like_sentence(paragraph: str) -> bool:
    """Ends like prose and is long enough to be a sentence.

    Thai and Lao end sentences with a space, not a mark: there, length alone decides.
    """
    text = paragraph.strip()
    if word_count(text) < 6:
        return False
    return bool(_SENTENCE_END.search(text)) or _NO_SENTENCE_MARK.search(text[-1:]) is not None


_DATELINE = re.compile(
    r"""^(?P<place>[A-Z][A-Z'’.\- ]{1,40}[A-Z.](?:,\ [A-Z][A-Za-z.'’\- ]{1,30})?)
        (?:,\ (?P<date>[A-Z][a-z]{2,8}\.?\ \d{1,2}))?
        \s*(?:\((?P<agency>[A-Za-z][A-Za-z .&'’-]{1,30})\))?
        \s*(?:—|–|--|-)\s+(?=\S)""",
    re.VERBOSE,
)


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Split a wire dateline ("KYIV, Sept 6 (Reuters) — ") off the start of a paragraph.

    Returns (dateline, rest); dateline is None where the paragraph has none. The place must be
    in capitals, as wire datelines are, so a sentence that starts with a name and a dash is
    left alone. Datelines are provenance, not prose: left in, "NAIROBI, Sept 10 (Reuters" reads
    to a parser as the subject of the first sentence.
    """
    match = _DATELINE.match(paragraph)
    if not match or not any(c.isalpha() for c in match.group("place")):
        return None, paragraph
    if match.group("agency") is None and match.group("date") is None and len(match.group("place")) < 6:
        return None, paragraph
    return paragraph[: match.end()].rstrip(" —–-"), paragraph[match.end() :]


def clean_paragraphs(paragraphs: Sequence[str]) -> list[str]:
    """The story's paragraphs without boilerplate.

    1. Cut at the first comment or related-links heading that follows some story text.
    2. Drop boilerplate paragraphs anywhere.
    3. Trim the tail: short lines that are not sentences after the last prose paragraph
       (stray button labels, counters, footers).
    """
    kept: list[str] = []
    story_words = 0
    for paragraph in paragraphs:
        if story_words >= 40 and is_section_break(paragraph):
            break
        if is_boilerplate(paragraph):
            continue
        kept.append(paragraph)
        story_words += word_count(paragraph)
    while kept and not looks_like_sentence(kept[-1]) and word_count(kept[-1]) <= 12:
        kept.pop()
    return kept


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-.]+)["']""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _reads_as_latin(body: bytes, codec: str) -> bool:
    """Whether the letters outside ASCII, read with `codec`, are Latin letters."""
    try:
        text = body.decode(codec, errors="replace")
    except LookupError:
        return False
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    return not letters or latin / len(letters) > 0.9


def declared_charset(body: bytes) -> str | None:
    """The charset a document declares about itself (BOM, XML declaration, or meta tag)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    head = body[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return _codec_name(match.group(1).decode("ascii", "ignore")) if match else None


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # Browsers read latin-1 and ASCII labels as windows-1252; so do we.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def decode_body(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text, trusting a declaration only when it fits the bytes.

    Valid UTF-8 with non-ASCII bytes is read as UTF-8 whatever was declared (mis-declared
    UTF-8 is the commonest error, and cp1252 text is almost never valid UTF-8). Otherwise a
    declared charset (header, then the document's own) is used if it decodes cleanly, and
    charset-normalizer guesses when it does not. Returns (text, charset used).
    """
    bom = next((name for bom, name in _BOMS if body.startswith(bom)), None)
    if bom:
        return body.decode(bom, errors="replace").lstrip("\ufeff"), bom
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for candidate in (_codec_name(declared), declared_charset(body)):
        if candidate and candidate not in ("utf-8", "utf-16", "utf-32"):
            try:
                return body.decode(candidate), candidate
            except (UnicodeDecodeError, LookupError):
                continue
    best = charset_normalizer.from_bytes(body).best()
    guess = (_codec_name(best.encoding) or best.encoding) if best is not None and best.encoding else None
    if guess is None or _reads_as_latin(body, guess):
        # Among the Latin single-byte code pages a text rarely tells them apart;
        # windows-1252 is by far the commonest on the web (and the browsers' default).
        try:
            return body.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    if guess is not None:
        return body.decode(guess, errors="replace"), guess
    return body.decode("cp1252", errors="replace"), "cp1252"


def _stop_words(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _stop_words(
        "the of and to in a is that for on was with as by he said it at from his an be are has have but not "
        "they were this had their which who been its or will would after also more than two over"
    ),
    "fr": _stop_words(
        "le la les de des du et en un une est que qui dans pour pas sur au aux avec il elle ont a été ce cette "
        "par plus son sa ses mais ou nous vous leur"
    ),
    "de": _stop_words(
        "der die das und in den von zu mit ist des sich nicht auf für im dem ein eine als auch es an er sie "
        "wurde wird bei nach aus hat sind oder noch"
    ),
    "es": _stop_words(
        "el la los las de del y en un una que es por con para se no al lo su sus como más pero fue ha han "
        "este esta entre sobre también"
    ),
    "it": _stop_words(
        "il lo la gli le di del della dei e in un una che è per con non si da al alla sono ha come più ma "
        "anche questo questa stato nel nella"
    ),
    "pt": _stop_words(
        "o a os as de do da dos das e em um uma que é para com não se por no na ao mais como mas foi são "
        "seu sua também pelo pela"
    ),
    "nl": _stop_words(
        "de het een en van in is dat op te zijn met voor niet aan er om ook als bij door maar naar dan heeft "
        "werd worden nog wel over"
    ),
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(f"[{letters}]"))
    for code, letters in (
        ("ru", "\u0400-\u04ff"),
        ("ar", "\u0600-\u06ff"),
        ("zh", "\u3400-\u4dbf\u4e00-\u9fff"),
        ("ja", "\u3040-\u30ff"),
        ("ko", "\uac00-\ud7af"),
        ("el", "\u0370-\u03ff"),
        ("he", "\u0590-\u05ff"),
        ("hi", "\u0900-\u097f"),
        ("bn", "\u0980-\u09ff"),
        ("ta", "\u0b80-\u0bff"),
        ("th", "\u0e00-\u0e7f"),
        ("lo", "\u0e80-\u0eff"),
        ("my", "\u1000-\u109f"),
        ("ka", "\u10a0-\u10ff"),
        ("am", "\u1200-\u137f"),
        ("km", "\u1780-\u17ff"),
        ("hy", "\u0530-\u058f"),
    )
)
_URDU_LETTERS = re.compile("[\u0679\u0688\u0691\u06ba\u06d2]")
_PERSIAN_LETTERS = re.compile("[\u06a9\u06af\u06cc\u067e\u0686\u0698]")
SCRIPT_LANGUAGES: dict[str, frozenset[str]] = {
    "ru": frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg", "tt", "ba"}),
    "ar": frozenset({"ar", "fa", "ur", "ps", "ku", "sd", "ug", "ckb"}),
    "fa": frozenset({"fa", "ps", "ku", "ckb"}),
    "hi": frozenset({"hi", "mr", "ne", "sa"}),
    "bn": frozenset({"bn", "as"}),
}
"""For a language told by its script alone, the languages that share the script: where the
page declares one of them (`<html lang="uk">` on Cyrillic text), the declaration is the
better answer."""


def detect_language(text: str, *, min_words: int = 8) -> str | None:
    """A cheap offline guess of the ISO 639-1 language of a text, or None when unsure.

    Non-Latin scripts are told by their characters (Japanese by its kana among the Chinese
    characters, Persian and Urdu by their own letters); Latin-script languages by the share
    of their most common function words. Enough for routing (the coder codes English only),
    not for linguistics.
    """
    sample = text[:5000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return None
    script_counts = {code: len(pattern.findall(sample)) for code, pattern in _SCRIPTS}
    code = max(script_counts, key=lambda name: script_counts[name])
    if code in ("zh", "ja") and script_counts["zh"] + script_counts["ja"] > 0.3 * len(letters):
        return "ja" if script_counts["ja"] >= 0.1 * (script_counts["zh"] + script_counts["ja"]) else "zh"
    if script_counts[code] / len(letters) > 0.3:
        if code == "ar" and len(_URDU_LETTERS.findall(sample)) > 1:
            return "ur"
        if code == "ar" and _PERSIAN_LETTERS.search(sample):
            return "fa"
        return code
    words = [w.lower().replace("’", "'") for w in _WORD.findall(sample)]
    if len(words) < min_words:
        return None
    scores = {lang: sum(1 for w in words if w in stops) / len(words) for lang, stops in STOP_WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 0.12 or ranked[0] < ranked[1] * 1.3:
        return None
    return best


def choose_language(detected: str | None, declared: str | None) -> str | None:
    """The article's language from what its text shows and what its page declares.

    The text wins, since templates declare a site's default language on every page; but
    where the script alone told the language and the page declares another written in the
    same script (Ukrainian on a Cyrillic page), the declaration is taken. A declaration is
    used as it is when the text said nothing.
    """
    declared = (declared or "").strip().lower().split("-")[0].split("_")[0] or None
    if declared is not None and not re.fullmatch(r"[a-z]{2,3}", declared):
        declared = None
    if detected is None:
        return declared
    if declared is not None and declared in SCRIPT_LANGUAGES.get(detected, frozenset()):
        return declared
    return detected
