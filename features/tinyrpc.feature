Feature: JSON-RPC over ZeroMQ with tinyrpc
  tinyrpc serves JSON-RPC 2.0 on a ROUTER socket: one request or a batch of
  them in one JSON frame, one answer frame back (a batch's answers in any
  order). A REQ socket is the simplest client.

  Background:
    Given tinyrpc is running
    And I connect a REQ socket to tinyrpc's rpc port

  Scenario: a call is answered with its result
    When I send the JSON message to tinyrpc's rpc port:
      """
      {"jsonrpc": "2.0", "id": 1, "method": "add", "params": [2, 3]}
      """
    Then I receive a JSON message from tinyrpc's rpc port matching:
      """
      {"jsonrpc": "2.0", "id": 1, "result": 5}
      """

  Scenario: a method that does not exist is error -32601
    When I send the JSON message to tinyrpc's rpc port:
      """
      {"jsonrpc": "2.0", "id": 7, "method": "divide", "params": [1, 0]}
      """
    Then I receive a JSON message from tinyrpc's rpc port containing:
      """
      {"id": 7, "error": {"code": -32601, "message": "#string"}}
      """

  Scenario: a request that is not JSON is error -32700
    When I send "{this is not json" to tinyrpc's rpc port
    Then I receive a JSON message from tinyrpc's rpc port containing:
      """
      {"id": null, "error": {"code": -32700}}
      """

  Scenario: a batch is answered with exactly its results, in any order
    When I send the JSON message to tinyrpc's rpc port:
      """
      [{"jsonrpc": "2.0", "id": 1, "method": "add", "params": [1, 2]},
       {"jsonrpc": "2.0", "id": 2, "method": "multiply", "params": [4, 5]},
       {"jsonrpc": "2.0", "id": 3, "method": "nothing_here"}]
      """
    Then I receive a JSON message from tinyrpc's rpc port containing only:
      """
      [{"jsonrpc": "2.0", "id": 2, "result": 20},
       {"jsonrpc": "2.0", "id": 3, "error": {"code": -32601, "message": "#string"}},
       {"jsonrpc": "2.0", "id": 1, "result": 3}]
      """
