"""What travels, as pure data: frames and their notation, the envelope rule, formats and their registry,
``${…}`` filled in, matching with markers, dotted paths, one strict reading of JSON (and JSON a spec writes),
``struct:`` frames, and secrets masked in what is shown. Sending and receiving live in :mod:`zmqprose.sockets`."""
