"""What a scenario does: ``using_zmq()`` (make sockets, send), ``from_zmq_socket()`` (receive),
``from_environment()`` (read settings) — Storyplayer's modules."""
