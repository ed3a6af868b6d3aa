Feature: recipes, against the dispatcher and its worker
  The scenarios the recipes page shows: a wait for nothing, and topics.

  # --8<-- [start:timeouts]
  Scenario: nothing is said of a job that no worker has done
    Given dispatcher is running
    And I connect a SUB socket to dispatcher's event port subscribed to "job."
    And dispatcher's event port becomes connected within 2 seconds
    And I connect a REQ socket to dispatcher's request port
    When I send the multipart message ["SUBMIT", "resize photos"] to dispatcher's request port
    Then I receive the multipart message ["ACCEPTED", "1"] from dispatcher's request port within 2 seconds
    And I receive nothing from dispatcher's event port within 500 ms
  # --8<-- [end:timeouts]

  # --8<-- [start:topics]
  Scenario: a subscriber hears only the topics it subscribed to
    Given dispatcher is running
    And dispatchers_worker is running
    And I connect a SUB socket to dispatcher's event port as "done" subscribed to "job.done"
    And I connect a SUB socket to dispatcher's event port as "failures" subscribed to "job.failed"
    And "done" becomes connected within 2 seconds
    And "failures" becomes connected within 2 seconds
    And I connect a REQ socket to dispatcher's request port
    When I send the multipart message ["SUBMIT", "resize photos"] to dispatcher's request port
    And I receive the multipart message ["ACCEPTED", "1"] from dispatcher's request port
    Then I receive the multipart message ["job.done", "1"] from "done" within 5 seconds
    And I receive nothing from "failures" within 500 ms
  # --8<-- [end:topics]
