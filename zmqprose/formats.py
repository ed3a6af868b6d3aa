"""Message formats, the public door: ``zmqprose.formats.register("protobuf", encode, decode)``, and a variant
of msgpack for a service that writes it its own way: ``zmqprose.formats.register_msgpack("salt", raw=True,
nested=["load"])``.

See :mod:`zmqprose.wire.format` for what a format is, :mod:`zmqprose.wire.format_registry` for the registry
behind this door; the entry point group ``zmqprose.formats`` adds formats from a package, without code in
``environment.py``.
"""

from zmqprose.wire.format_registry import Format, FormatContext, get, names, register, register_msgpack

__all__ = ["Format", "FormatContext", "get", "names", "register", "register_msgpack"]
