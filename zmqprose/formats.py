"""Message formats, the public door: ``zmqprose.formats.register("protobuf", encode, decode)``, and a variant
of msgpack for a service that writes it its own way: ``zmqprose.formats.register_msgpack("salt", raw=True,
nested=["load"])``.

See :mod:`zmqprose.wire.formats` for what a format is; the entry point group
``zmqprose.formats`` adds formats from a package, without code in ``environment.py``.
"""

from zmqprose.wire.formats import Format, FormatContext, get, names, register, register_msgpack

__all__ = ["Format", "FormatContext", "get", "names", "register", "register_msgpack"]
