"""Links: network faults between the spec and an app (:mod:`~zmqprose.links.relay`)."""
