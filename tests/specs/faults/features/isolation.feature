Feature: a failed scenario leaves nothing behind
  Scenario: a push to nowhere, then a failure
    Given I connect a PUSH socket to "tcp://127.0.0.1:1" as "nowhere"
    And I bind a PULL socket to "tcp://127.0.0.1:*" as "quiet"
    And a stub REP socket bound to "tcp://127.0.0.1:*" as "worker"
    And the stub "worker" answers "late" to "PING" after 30 seconds
    And I connect a REQ socket to the endpoint of "worker" as "client"
    And I send "PING" to "client"
    And the stub "worker" received "PING" within 2 seconds
    When I push 10000000 messages of 100 bytes to "nowhere"
    Then I receive "never" from "quiet" within 10 ms

  Scenario: the next scenario starts clean
    Then no background thread of zmqprose is running
    And the checkpoint has no "anything"
