"""Text that XML can carry: what zmqprose writes for others to read (a picture, a failure's message, which
behave's JUnit report takes as it is) stays well-formed whatever an app or a peer sent."""

from __future__ import annotations

import re

NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # what XML 1.0 forbids


def xml_safe(value: str) -> str:
    """``value`` with each character XML 1.0 forbids (C0 controls but tab, newline and CR; lone surrogates;
    U+FFFE, U+FFFF) shown as Python writes its escape: an app's ESC is ``\\x1b``."""
    return NOT_IN_XML.sub(lambda found: ascii(found[0])[1:-1], value)
