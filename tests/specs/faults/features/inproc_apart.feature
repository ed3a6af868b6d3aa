Feature: scenarios are apart over inproc too
  The scenarios of a run share one ZeroMQ context, and libzmq keeps a connection made to an inproc
  address that nobody has bound in the context, for whoever binds it next.

  Scenario: a push to an inproc address nobody has bound
    Given I connect a PUSH socket to "inproc://jobs"
    When I send "from the first scenario" to "inproc://jobs"

  Scenario: the next scenario binds that address and receives nothing
    Given I bind a PULL socket to "inproc://jobs"
    Then I receive nothing from "inproc://jobs" within 300 ms

  Scenario: a subscription to an inproc address nobody has bound
    Given I connect a SUB socket to "inproc://news" subscribed to "weather"

  Scenario: the next scenario's XPUB socket hears of no subscription
    Given I bind a XPUB socket to "inproc://news" as "news"
    Then I receive nothing from "news" within 300 ms
