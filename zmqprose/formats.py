"""Message formats, the public door: ``zmqprose.formats.register("protobuf", encode, decode)``.

See :mod:`zmqprose.wire.formats` for what a format is; the entry point group
``zmqprose.formats`` adds formats from a package, without code in ``environment.py``.
"""

from zmqprose.wire.formats import Format, FormatContext, get, names, register

__all__ = ["Format", "FormatContext", "get", "names", "register"]
