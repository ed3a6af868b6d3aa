"""What travels: frames and their notation, the envelope rule, bounded sends and receives,
``${…}`` filled in, matching with markers, JSON at the edges, and secrets masked in what is shown."""
