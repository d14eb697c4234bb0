"""Canonical URLs and the article ids derived from them.

The same article reaches us under many URLs: with tracking parameters, fragments, a default
port, upper-case hosts, parameters in another order. `canonical_url` maps them to one string,
and `article_id` hashes that string, so an article is recognised whichever URL found it.
Canonicalisation is idempotent and never raises: a string it cannot parse is returned trimmed.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

ARTICLE_ID_LENGTH = 32

TRACKING_PARAMETERS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "cmpid",
        "icid",
        "ocid",
        "ito",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "mbid",
        "smid",
        "sr_share",
        "share",
        "ref",
        "ref_src",
        "referrer",
        "rss",
        "feature",
        "cid",
        "xtor",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "vero_", "oly_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_HOST_OK = re.compile(r"^[a-z0-9._\-\[\]:%]+$")


def is_tracking_parameter(name: str) -> bool:
    """True for query parameters that only say how a reader arrived, not what they read."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The normalised form of a URL used to recognise one article under several URLs.

    Lower-case scheme and host, no default port, no credentials, no fragment, no tracking
    parameters, the other parameters sorted, dot segments removed, percent-encoding
    normalised, and no trailing slash except on the root path.
    """
    text = url.strip()
    try:
        return _canonical(text)
    except ValueError:
        return text


def _canonical(text: str) -> str:
    split = urlsplit(text)
    scheme = split.scheme.lower()
    if not scheme or not split.netloc:
        return text
    host = (split.hostname or "").rstrip(".")
    if not _HOST_OK.match(host):
        return text
    port = split.port
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and _DEFAULT_PORTS.get(scheme) != port:
        netloc += f":{port}"
    path = _normalise_path(split.path)
    if scheme in _DEFAULT_PORTS and not path:
        path = "/"
    pairs = [(k, v) for k, v in parse_qsl(split.query, keep_blank_values=True) if not is_tracking_parameter(k)]
    query = urlencode(sorted(pairs), quote_via=quote, safe="-._~")
    candidate = urlunsplit((scheme, netloc, path, query, ""))
    if urlsplit(candidate).netloc != netloc:
        return text
    return candidate


def _normalise_path(path: str) -> str:
    decoded = unquote(path, errors="replace")
    segments: list[str] = []
    for segment in decoded.split("/"):
        if segment == "..":
            if len(segments) > 1:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    normalised = "/".join(segments)
    if decoded.startswith("/") and not normalised.startswith("/"):
        normalised = "/" + normalised
    while len(normalised) > 1 and normalised.endswith("/"):
        normalised = normalised[:-1]
    return quote(normalised, safe=_PATH_SAFE)


def article_id(canonical: str) -> str:
    """The stable id of an article: the first 32 hex digits of sha256 of its canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8", errors="surrogatepass")).hexdigest()[:ARTICLE_ID_LENGTH]


def article_id_for_url(url: str) -> str:
    """`article_id(canonical_url(url))`."""
    return article_id(canonical_url(url))
