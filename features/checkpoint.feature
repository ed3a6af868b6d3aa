Feature: The checkpoint keeps values between steps
  Every scenario starts with an empty checkpoint. Values stored in it can be
  checked, and used anywhere a quoted string is written, as ${checkpoint.KEY}.

  Scenario: a stored text is checked and interpolated into a message
    Given I store "abc-123" in the checkpoint as "request_id"
    And I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "outbox"
    Then the checkpoint has "request_id"
    And the checkpoint "request_id" is "abc-123"
    When I send the multipart message ["GET", "${checkpoint.request_id}"] to "outbox"
    Then I receive the multipart message ["GET", "abc-123"] from "inbox"

  Scenario: a received message is stored as its frames
    Given ogre is running
    And I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port
    When I send the multipart message ["PING", "99"] to ogre's command port
    And I receive a message from ogre's response port
    And I store the last message from ogre's response port in the checkpoint as "response"
    Then the checkpoint "response" is ["PONG", "#regex \\d+"]

  Scenario: every scenario starts with an empty checkpoint
    Then the checkpoint has no "request_id"
    And the checkpoint has no "response"

  Scenario: any name can be a key, even one that sounds like a method
    Given I store "one" in the checkpoint as "has"
    And I store "two" in the checkpoint as "keys"
    And I store "three" in the checkpoint as "get"
    Then the checkpoint has "has"
    And the checkpoint "keys" is "two"
    And the checkpoint "get" is "three"

  Scenario: a received frame is data: sent back as it came, never read as hex or a marker
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "outbox"
    When I send "hex:6865783a34313432" to "outbox"
    And I receive "#regex hex:4142" from "inbox"
    And I store the last message from "inbox" in the checkpoint as "echoed"
    And I send "${checkpoint.echoed}" to "outbox"
    Then I receive "#regex hex:4142" from "inbox"
