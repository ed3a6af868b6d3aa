Feature: a socket no step made
  Scenario: sending on a socket nobody made
    When I send "PING" to vault's inbox endpoint

  Scenario: receiving on a named socket nobody made
    Then I receive "PONG" from "responses"
