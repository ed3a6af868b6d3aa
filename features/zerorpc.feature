Feature: zerorpc, a real msgpack RPC service
  zerorpc speaks msgpack over DEALER and ROUTER: a call is a header, a method
  name and arguments; the answer names the call it answers. A spec calls a
  real zerorpc server, and stands in for one before a real zerorpc client.

  Scenario: a call is answered, and the answer names the call
    Given zerorpc is running
    And I connect a DEALER socket to zerorpc's rpc port
    And I store "${uuid}" in the checkpoint as "call"
    When I send the msgpack message to zerorpc's rpc port with the envelope [""]:
      """
      [{"message_id": "${checkpoint.call}", "v": 3}, "add", [1, 2]]
      """
    Then I receive a msgpack message from zerorpc's rpc port within 5 seconds matching:
      """
      [{"response_to": "${checkpoint.call}", "v": 3, "message_id": "#ignore"}, "OK", [3]]
      """
    When I store the last msgpack message from zerorpc's rpc port in the checkpoint as "answer"
    And I store "${checkpoint.answer.0.response_to}" in the checkpoint as "answered"
    Then the checkpoint "answered" is "${checkpoint.call}"

  Scenario: an answer's envelope and a part of it are checked
    Given zerorpc is running
    And I connect a DEALER socket to zerorpc's rpc port
    When I send the msgpack message to zerorpc's rpc port with the envelope [""]:
      """
      [{"message_id": "m1", "v": 3}, "hello", ["Storyplayer"]]
      """
    Then I receive a msgpack message from zerorpc's rpc port within 5 seconds with the envelope [""] containing:
      """
      [{"response_to": "m1"}, "OK", ["Hello, Storyplayer"]]
      """

  Scenario: a stub stands in for a zerorpc server, and a real zerorpc client gets its answer
    Given a stub ROUTER socket bound to "tcp://127.0.0.1:*" as "rpc"
    And the stub "rpc" answers msgpack requests containing ["add"] with:
      """
      [{"response_to": "${request.0.message_id}", "v": 3, "message_id": "${uuid}"}, "OK", [42]]
      """
    When I run "python examples/zerorpc_client.py ${socket.rpc.endpoint} add 40 2" within 20 seconds
    Then the command exits with code 0
    And the command's output contains "42"
    And the stub "rpc" received a msgpack message containing:
      """
      ["add", [40, 2]]
      """
