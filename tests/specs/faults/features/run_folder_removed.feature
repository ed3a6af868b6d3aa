Feature: the run's folder removed under a running suite
  Another tool (a cleaner of the temporary folder) removes the run's folder while the suite runs.

  Scenario: a command after the run's folder was removed
    Given fragile is running
    And I run "python -c 'import os, shutil, sys; shutil.rmtree(os.path.dirname(sys.argv[1]))' ${fragile.folder}"
    When I run "echo hello"

  Scenario: an app started after the run's folder was removed
    Given sayer is running

  Scenario: an app's log after the run's folder was removed
    Then fragile's output contains "fragile: listening"

  Scenario: an app restarted after the run's folder was removed
    When I restart fragile
