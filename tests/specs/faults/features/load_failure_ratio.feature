Feature: A load against a service that drops every tenth request fails its failure-ratio check
  The dropper answers nine requests in ten; the load's failure ratio is about
  10%, and the check says so with Locust's statistics table (run with -D env=load).

  Scenario: a tenth of the load's requests fail, more than the 1% the spec allows
    Given dropper is running
    When I run a load of 5 users from 2 Locust workers with "locustfiles/dropper_pings.py" for 3 seconds
    Then the load made at least 20 requests
    And the load's failure ratio is at most 1%
