Feature: the sockets of the scenarios after a probe are closed as any are
  A probe asks on a socket of its own, closed after it has its answer: the
  sockets of later scenarios close in time. Run with -D env=probes.

  Scenario: frontman is probed at its start, and again
    Given frontman is running
    Then frontman still answers
    And frontman still answers
    And frontman still answers

  Scenario: a later scenario's sockets
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "sender"
    When I send "hello" to "sender"
    Then I receive "hello" from "inbox"
