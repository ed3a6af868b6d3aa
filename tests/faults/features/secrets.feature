Feature: secrets stay out of logs and failures
  Scenario: a token is sent and then expected wrongly
    Given I bind a PULL socket to vault's inbox endpoint as "inbox"
    And I connect a PUSH socket to vault's inbox endpoint as "outbox"
    When I send the multipart message ["AUTH", "${vault.api_token}"] to "outbox"
    Then I receive the multipart message ["AUTH", "wrong"] from "inbox"
