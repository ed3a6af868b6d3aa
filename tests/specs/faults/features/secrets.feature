Feature: secrets stay out of logs and failures
  Scenario: a token is sent and then expected wrongly
    Given I bind a PULL socket to vault's inbox endpoint as "inbox"
    And I connect a PUSH socket to vault's inbox endpoint as "outbox"
    When I send the multipart message ["AUTH", "${vault.api_token}"] to "outbox"
    Then I receive the multipart message ["AUTH", "wrong"] from "inbox"

  Scenario: a token in a long frame, where the frame is cut for the log
    Given I bind a PULL socket to vault's inbox endpoint as "inbox"
    And I connect a PUSH socket to vault's inbox endpoint as "outbox"
    When I send "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA${vault.api_token}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" to "outbox"
    Then I receive "wrong" from "inbox"

  Scenario: a token in a frame with a tab (written as a tab), which is not printable
    Given I bind a PULL socket to vault's inbox endpoint as "inbox"
    And I connect a PUSH socket to vault's inbox endpoint as "outbox"
    When I send "password:	${vault.api_token}" to "outbox"
    Then I receive "wrong" from "inbox"
