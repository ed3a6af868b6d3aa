# --8<-- [start:head]
Feature: the job queue takes jobs and says how they are
  Clients submit jobs on the queue's request port, and ask there how their jobs are.
# --8<-- [end:head]

  # --8<-- [start:accepted]
  Scenario: a submitted job is accepted with its number
    Given queue is running
    And I connect a REQ socket to queue's request port
    When I send the multipart message ["SUBMIT", "resize photos"] to queue's request port
    Then I receive the multipart message ["ACCEPTED", "#regex \\d+"] from queue's request port within 2 seconds
  # --8<-- [end:accepted]

  # --8<-- [start:status]
  Scenario: a job just submitted is waiting
    Given queue is running
    And I connect a REQ socket to queue's request port
    And I send the multipart message ["SUBMIT", "resize photos"] to queue's request port
    And I receive the multipart message ["ACCEPTED", "#regex \\d+"] from queue's request port
    And I store the last message from queue's request port in the checkpoint as "accepted"
    When I send the multipart message ["STATUS", "${checkpoint.accepted.1}"] to queue's request port
    Then I receive the multipart message ["WAITING", "${checkpoint.accepted.1}"] from queue's request port
  # --8<-- [end:status]
