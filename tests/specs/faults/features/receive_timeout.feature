Feature: a receive that times out
  Scenario: nothing arrives on a quiet socket
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "quiet"
    Then I receive "PONG" from "quiet" within 300 ms
