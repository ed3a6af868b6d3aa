Feature: a link never lets newer bytes overtake the ones it holds
  What a link holds for a delay goes on first and in order, whatever it is
  told meanwhile: made healthy, or given a shorter delay (issue 27, item 4). Each
  scenario first sees a message through (the ZMTP handshake is done), then
  holds "A" in the link (nothing arrives for a while; the delay is long, so
  a busy machine still sees it held), changes the link, and sends "B".

  Scenario: a message sent after the link is healthy arrives after the one it delayed
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "sink"
    And a link to the endpoint of "sink" as "slow"
    And I connect a PUSH socket to the endpoint of "slow" as "pusher"
    And the link "slow" has a connection within 5 seconds
    And I send "hello" to "pusher"
    And I receive "hello" from "sink" within 2 seconds
    When the link "slow" delays by 2 seconds
    And I send "A" to "pusher"
    Then I receive nothing from "sink" within 200 ms
    When the link "slow" is healthy
    And I send "B" to "pusher"
    Then I receive "A" from "sink" within 2 seconds
    And I receive "B" from "sink" within 2 seconds

  Scenario: the same, from the side the link stands in front of
    Given I bind a PUSH socket to "tcp://127.0.0.1:*" as "source"
    And a link to the endpoint of "source" as "slow"
    And I connect a PULL socket to the endpoint of "slow" as "sink"
    And the link "slow" has a connection within 5 seconds
    And I send "hello" to "source"
    And I receive "hello" from "sink" within 2 seconds
    When the link "slow" delays by 2 seconds
    And I send "A" to "source"
    Then I receive nothing from "sink" within 200 ms
    When the link "slow" is healthy
    And I send "B" to "source"
    Then I receive "A" from "sink" within 2 seconds
    And I receive "B" from "sink" within 2 seconds

  Scenario: a message sent after a shorter delay arrives after the one the longer delay held
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "sink"
    And a link to the endpoint of "sink" as "slow"
    And I connect a PUSH socket to the endpoint of "slow" as "pusher"
    And the link "slow" has a connection within 5 seconds
    And I send "hello" to "pusher"
    And I receive "hello" from "sink" within 2 seconds
    When the link "slow" delays by 5 seconds
    And I send "A" to "pusher"
    Then I receive nothing from "sink" within 200 ms
    When the link "slow" delays by 10 ms
    And I send "B" to "pusher"
    Then I receive "A" from "sink" within 2 seconds
    And I receive "B" from "sink" within 2 seconds
