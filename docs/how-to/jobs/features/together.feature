Feature: a dispatcher and a worker together do a client's job
  Both run, as they would in production; the spec is the client, and listens to the dispatcher's events.

  Scenario: a submitted job is done by the worker
    Given dispatcher is running
    And dispatchers_worker is running
    And I connect a SUB socket to dispatcher's event port subscribed to "job.done"
    And dispatcher's event port becomes connected within 2 seconds
    And I connect a REQ socket to dispatcher's request port
    When I send the multipart message ["SUBMIT", "resize photos"] to dispatcher's request port
    And I receive the multipart message ["ACCEPTED", "1"] from dispatcher's request port
    Then I receive the multipart message ["job.done", "1"] from dispatcher's event port within 5 seconds
    When I send the multipart message ["STATUS", "1"] to dispatcher's request port
    Then I receive the multipart message ["DONE", "1", "done: resize photos"] from dispatcher's request port
