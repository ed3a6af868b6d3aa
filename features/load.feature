Feature: Load from Locust workers
  A load test is a locustfile of a few lines, run by Locust's own master and
  workers: zmqprose brings the ZeroMQ user (its prose API in each Locust user,
  each exchange a Locust request) and starts Locust for the scenario, on free
  ports of 127.0.0.1, with the scenario's settings. The checks read Locust's
  own statistics of the load.

  Scenario: a load of pings on Ogre's command port from two workers passes its checks
    Given ogre is running
    When I run a load of 5 users from 2 Locust workers with "features/locustfiles/ogre_commands.py" for 3 seconds
    Then the load made at least 100 requests
    And the load's failure ratio is at most 1%
    And the load's 95th percentile response time is at most 1000 ms

  Scenario: two pushing workers fill Ogre's pipeline, and the spec pulls every message they pushed
    Given ogre is running
    And I connect a PULL socket to ogre's pipeline output port with options:
      | option | value |
      | RCVHWM | 0     |
    When I run a load of 2 users from 2 Locust workers with "features/locustfiles/ogre_pump.py" for 3 seconds
    Then the load's failure ratio is at most 0%
    And I pull 4000 messages from ogre's pipeline output port within 10 seconds
    And the pulled messages arrived in order
