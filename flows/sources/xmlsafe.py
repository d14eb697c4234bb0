"""XML parsing that refuses entity declarations and external references.

A feed or sitemap is untrusted input: a "billion laughs" entity bomb must be refused at once,
not expanded. defusedxml stops at the first entity declaration, before any expansion.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from flows.sources.base import SourceError


def parse_xml(body: bytes, item: str) -> Element:
    """Parse untrusted XML; raise `SourceError(reason="bad_xml")` for anything unsafe or broken."""
    try:
        return SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as error:
        raise SourceError(item, "bad_xml", f"refused unsafe XML ({type(error).__name__}): {error}") from error
    except ParseError as error:
        raise SourceError(item, "bad_xml", f"not well-formed XML: {error}") from error


def check_xml_safe(body: bytes, item: str) -> str | None:
    """Raise `SourceError(reason="bad_xml")` if the XML declares entities or external references.

    Unlike `parse_xml`, a body that is merely not well-formed passes (the caller may still
    read it leniently): the parse error is returned, None for well-formed XML.
    """
    try:
        SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as error:
        raise SourceError(item, "bad_xml", f"refused unsafe XML ({type(error).__name__}): {error}") from error
    except ParseError as error:
        return str(error)
    return None


def local_name(tag: str) -> str:
    """A tag without its namespace: `{http://www.sitemaps.org/…}url` → `url`."""
    return tag.rsplit("}", 1)[-1]
