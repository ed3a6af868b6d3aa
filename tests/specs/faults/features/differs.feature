Feature: a message that differs
  Scenario: the second frame differs
    Given I bind a PULL socket to vault's inbox endpoint as "inbox"
    And I connect a PUSH socket to vault's inbox endpoint as "outbox"
    When I send the multipart message ["PONG", "41"] to "outbox"
    Then I receive the multipart message ["PONG", "42"] from "inbox"
