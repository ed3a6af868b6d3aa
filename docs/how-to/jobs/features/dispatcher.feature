Feature: the dispatcher hands jobs to workers and keeps their results
  Clients submit jobs on the dispatcher's request port. The dispatcher pushes each job to a worker on its
  jobs port, takes the result back on its results port, and says so on its event port. Here the spec
  plays the worker: its own sockets pull the jobs and push the results.

  Background:
    Given dispatcher is running
    And I connect a REQ socket to dispatcher's request port
    And I connect a PULL socket to dispatcher's jobs port

  Scenario: a submitted job goes to a worker
    When I send the multipart message ["SUBMIT", "resize photos"] to dispatcher's request port
    Then I receive the multipart message ["ACCEPTED", "1"] from dispatcher's request port within 2 seconds
    And I receive the multipart message ["1", "resize photos"] from dispatcher's jobs port within 2 seconds

  Scenario: a job is waiting until a worker's result comes, then done
    Given I connect a PUSH socket to dispatcher's results port
    And I connect a SUB socket to dispatcher's event port subscribed to "job.done"
    And dispatcher's event port becomes connected within 2 seconds
    When I send the multipart message ["SUBMIT", "resize photos"] to dispatcher's request port
    And I receive the multipart message ["ACCEPTED", "1"] from dispatcher's request port
    And I receive the multipart message ["1", "resize photos"] from dispatcher's jobs port within 2 seconds
    And I send the multipart message ["STATUS", "1"] to dispatcher's request port
    Then I receive the multipart message ["WAITING", "1"] from dispatcher's request port
    When I send the multipart message ["1", "12 photos resized"] to dispatcher's results port
    And I receive the multipart message ["job.done", "1"] from dispatcher's event port within 2 seconds
    And I send the multipart message ["STATUS", "1"] to dispatcher's request port
    Then I receive the multipart message ["DONE", "1", "12 photos resized"] from dispatcher's request port
