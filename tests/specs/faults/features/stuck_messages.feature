Feature: messages queued for a peer that never comes
  Scenario: a thousand messages wait for nobody
    Given I connect a PUSH socket to "tcp://127.0.0.1:1" as "nowhere"
    And I connect a PUSH socket to "tcp://127.0.0.1:1" as "nowhere either"
    When I push 1000 messages of 100 bytes to "nowhere"
    And I send the multipart message ["stuck", "too"] to "nowhere either"
