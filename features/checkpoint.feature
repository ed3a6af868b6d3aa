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
