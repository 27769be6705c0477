"""The personal-data check on pseudonymous ids (``userId``, ``reviewerId``): the rule of
docs/contract.md ("Personal data in ids"), ported from events/pii.ts character for character so that
both recorders refuse the same ids (the tests run the document's table through both)."""

import re
import unicodedata

# JavaScript's \\s (and String.prototype.trim): Python's own \\s differs (U+FEFF, U+001C-U+001F).
_JS_SPACE_CHARS = (
    "\t\n\x0b\x0c\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_JS_SPACE = _JS_SPACE_CHARS  # no character in it is special inside a regex character class

_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_MAX_DECODE_ROUNDS = 3
_MAX_DOMAIN_LENGTH = 255

_PUNCT = f"[{_JS_SPACE}\\-./()\u2010-\u2015\u2212]"
_TEL_PREFIX = re.compile(f"^tel:[{_JS_SPACE}]*", re.IGNORECASE)
_EXTENSION = re.compile(f"[{_JS_SPACE}]*(?:ext\\.?|extension|x|#)[{_JS_SPACE}]*\\d{{1,6}}\\Z", re.IGNORECASE)
_PHONE_SHAPE = re.compile(f"^\\+?{_PUNCT}*(?:\\d{_PUNCT}*)+\\Z")  # \\d: any script's decimal digit, as \\p{{Nd}}
_DIGIT = re.compile(r"\d")
_GROUPED = re.compile(f"\\d{_PUNCT}+\\d")
_MIN_PHONE_DIGITS = 7  # the shortest subscriber number in common use
_MAX_PHONE_DIGITS = 15  # E.164's longest
_MAX_PHONE_LENGTH = 64


def _utf16_length(text):
    """String length as JavaScript counts it (UTF-16 code units), which the TypeScript rule uses."""
    return len(text.encode("utf-16-le")) // 2


def _decode_run(match):
    run = match.group(0)
    try:
        return bytes.fromhex(run.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:  # a malformed escape is left as it is, as decodeURIComponent's failure is
        return run


def normalize_for_pii(value):
    """The text the rule is applied to: NFKC-normalised and percent-decoded until stable."""
    text = unicodedata.normalize("NFKC", value)
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unicodedata.normalize("NFKC", _PERCENT_RUN.sub(_decode_run, text))
        if decoded == text:
            break
        text = decoded
    return text


def _is_letter(char):
    return unicodedata.category(char).startswith("L")


def _is_letter_or_number(char):
    return unicodedata.category(char)[0] in ("L", "N") or char == "-"


def _starts_with_domain(window):
    """``^[^\\s@.]+(?:\\.[^\\s@.]+)*\\.\\p{L}[\\p{L}\\p{N}-]+``: labels, then a top-level domain that
    starts with a letter and has two characters or more."""
    stop = next((i for i, c in enumerate(window) if c == "@" or c in _JS_SPACE_CHARS), len(window))
    labels = window[:stop].split(".")
    for k in range(1, len(labels)):
        if labels[k - 1] == "":
            return False
        tld = labels[k]
        if len(tld) >= 2 and _is_letter(tld[0]) and _is_letter_or_number(tld[1]):
            return True
    return False


def _contains_email(text):
    at = text.find("@")
    while at != -1:
        before = text[at - 1] if at > 0 else ""
        if before and before != "@" and before not in _JS_SPACE_CHARS:
            if _starts_with_domain(text[at + 1 : at + 1 + _MAX_DOMAIN_LENGTH]):
                return True
        at = text.find("@", at + 1)
    return False


def _phone_signal(text):
    rest = text.strip(_JS_SPACE_CHARS)
    if _utf16_length(rest) > _MAX_PHONE_LENGTH:
        return None
    tel = _TEL_PREFIX.match(rest) is not None
    rest = _EXTENSION.sub("", _TEL_PREFIX.sub("", rest, count=1), count=1)
    if not _PHONE_SHAPE.match(rest):
        return None
    digits = len(_DIGIT.findall(rest))
    if digits < _MIN_PHONE_DIGITS or digits > _MAX_PHONE_DIGITS:
        return None
    # A bare run of digits is an id; a phone number announces itself with tel:, + or punctuation.
    if tel or rest.startswith("+"):
        return "phone"
    return "digit-groups" if _GROUPED.search(rest) else None


def pii_signal(value):
    """What personal data a value looks like: ``"email"``, ``"phone"``, ``"digit-groups"`` or None.

    >>> pii_signal("tel:+15551234567")
    'phone'
    """
    text = normalize_for_pii(value)
    return "email" if _contains_email(text) else _phone_signal(text)


def looks_like_pii(value):
    """True when a pseudonymous id looks like an e-mail address or a phone number.

    >>> looks_like_pii("john%40example.com"), looks_like_pii("12345678")
    (True, False)
    """
    return pii_signal(value) is not None
