"""Secured sockets: CURVE keys from the settings (or made for the run), servers that allow only some clients."""
