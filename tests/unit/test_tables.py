"""``${socket.…}`` and ``${link.…}`` are answered by the socket table and the link table themselves (issue 32,
item 1: next to what they name, not in the scenario)."""

from __future__ import annotations

import pytest
import zmq

from zmqprose import ProseError
from zmqprose.links.table import LinkTable
from zmqprose.sockets.context import run_context
from zmqprose.sockets.socket import ProseSocket, close_all
from zmqprose.sockets.table import SocketTable


def test_the_socket_table_says_where_a_named_socket_is() -> None:
    table = SocketTable()
    sock = ProseSocket.make(run_context(), zmq.PULL, "PULL", "inbox", "inbox")
    try:
        table.add(sock)
        sock.attach("bind", "inproc://tables-inbox")
        assert table.value("inbox.endpoint") == "inproc://tables-inbox"
        with pytest.raises(ProseError, match="which has no tcp port"):
            table.value("inbox.port")
        with pytest.raises(ProseError, match="write"):
            table.value("inbox.colour")
    finally:
        assert close_all([sock])


def test_the_link_table_names_the_links_there_are_when_one_is_not() -> None:
    with pytest.raises(ProseError, match=r'no link named "flaky" in this scenario \(links: none yet\)'):
        LinkTable().value("flaky.port")
    with pytest.raises(ProseError, match=r"write \$\{link.NAME.port\}"):
        LinkTable().value("port")
