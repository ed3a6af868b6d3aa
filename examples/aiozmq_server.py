"""An aiozmq RPC server (aiozmq's own ``serve_rpc``: a ROUTER, struct-packed headers, msgpack arguments),
for the specs to call: ``python aiozmq_server.py ENDPOINT``."""

import asyncio
import sys

import aiozmq.rpc


class Calculator(aiozmq.rpc.AttrHandler):
    @aiozmq.rpc.method
    def add(self, a: int, b: int) -> int:
        return a + b

    @aiozmq.rpc.method
    def divide(self, a: int, b: int) -> float:
        return a / b


async def serve(endpoint: str) -> None:
    await aiozmq.rpc.serve_rpc(Calculator(), bind=endpoint)
    print(f"aiozmq serving on {endpoint}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1]))
