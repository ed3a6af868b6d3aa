Feature: aiozmq's RPC, spoken frame by frame and as a format of the whole message
  aiozmq's RPC server takes a call as four frames (a header packed by
  struct, "=HHLd": pid, random, request id, timestamp; the method's name;
  msgpack arguments; msgpack keyword arguments) and answers with two (a
  header "=HHLd?", whose last field says whether it is an error; a msgpack
  value). A spec can write those frames with struct: and hex:, or, with a
  format the project registers in its environment.py, as JSON values.

  Background:
    Given aiozmq is running
    And I connect a DEALER socket to aiozmq's rpc port

  Scenario: a call written frame by frame is answered with its result
    When I send the multipart message ["struct:=HHLd [1, 2, 7, 0]", "add", "hex:920203", "hex:80"] to aiozmq's rpc port
    Then I receive a multipart message from aiozmq's rpc port:
      | frame                                                      |
      | struct:=HHLd? ["#number", "#number", 7, "#number", false] |
      | hex:05                                                     |

  Scenario: a call that fails is answered with an error, flagged in the header
    When I send the multipart message ["struct:=HHLd [1, 2, 8, 0]", "divide", "hex:920100", "hex:80"] to aiozmq's rpc port
    Then I receive a multipart message from aiozmq's rpc port:
      | frame                                                     |
      | struct:=HHLd? ["#number", "#number", 8, "#number", true] |
      | #ignore                                                   |

  Scenario: a call and its answer written as JSON values, in a format the project registered
    When I send the aiozmq message to aiozmq's rpc port:
      """
      {"id": 9, "name": "add", "args": [20, 22], "kwargs": {}}
      """
    Then I receive a aiozmq message from aiozmq's rpc port matching:
      """
      {"id": 9, "error": false, "value": 42}
      """

  Scenario: an error, as a value
    When I send the aiozmq message to aiozmq's rpc port:
      """
      {"id": 10, "name": "divide", "args": [1, 0]}
      """
    Then I receive a aiozmq message from aiozmq's rpc port containing:
      """
      {"id": 10, "error": true, "value": ["builtins.ZeroDivisionError"]}
      """
