"""A scenario's sockets: how specs name them (references), their types and options,
the socket itself, the table that finds it again, and the monitor that sees its handshakes."""
