Feature: what a spec writes in a frame is sent as it means, or refused saying why
  A struct: frame is filled in, then packed; a value that does not fit its
  field, and a message that reads two ways, fail the step that meets them.

  Background:
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "outbox"

  Scenario: a struct frame with values filled in is packed, never sent as its notation
    Given I store "7" in the checkpoint as "n"
    When I send "struct:>HBI [43681, 1, ${checkpoint.n}]" to "outbox"
    Then I receive "hex:aaa10100000007" from "inbox"
    When I send "struct:>H21s [43681, \"${socket.inbox.endpoint}\"]" to "outbox"
    Then I receive "struct:>H21s [43681, \"#regex tcp://127[.]0[.]0[.]1:[0-9]+.?\"]" from "inbox"

  Scenario: a float too large for its field
    When I send "struct:>f [1e300]" to "outbox"

  Scenario: text where a number goes
    When I send the multipart message ["struct:>HI [1, \"7\"]", "add"] to "outbox"

  Scenario: a struct format from a placeholder
    Given I store ">I" in the checkpoint as "format"
    When I send "struct:${checkpoint.format} [1]" to "outbox"
    Then I receive nothing from "inbox" within 100 ms

  Scenario: a msgpack map with a key twice
    When I send "hex:82a2696401a2696402" to "outbox"
    Then I receive a msgpack message from "inbox" matching:
      """
      {"id": 2}
      """

  Scenario: a NaN in a msgpack message
    When I send "hex:81a46c6f6164cb7ff8000000000000" to "outbox"
    Then I receive a msgpack message from "inbox" containing:
      """
      {}
      """
