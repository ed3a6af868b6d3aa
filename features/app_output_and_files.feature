Feature: What an app prints, kept for later, and the files it writes
  A service often says at its start what a client needs to know: a token,
  an endpoint, a key. A spec keeps what a line of its output says, and uses
  it in later steps as ${checkpoint.KEY}. What a service writes in its own
  folder (${APP.folder}) is checked as its output is: waited for, read in
  pieces, and only inside the run's folder.

  scribe is an app of each scenario ("scope": "scenario"): its output, in
  each scenario, starts with the line that carries its new token.

  Scenario: a token the app prints is kept, sent back, and the file it writes says what it got
    Given scribe is running
    When I store what scribe's output matches "#regex scribe listening, token (\w+)" as "token"
    And I connect a REQ socket to scribe's request port
    And I send the multipart message ["${checkpoint.token}", "frame 12"] to scribe's request port
    Then I receive "OK" from scribe's request port
    And the file "${scribe.folder}/written.log" contains "got frame 12" within 5 seconds
    And the file "${scribe.folder}/written.log" does not contain "ERROR"

  Scenario: a wrong token is written down as an error
    Given scribe is running
    When I connect a REQ socket to scribe's request port
    And I send the multipart message ["not-the-token", "frame 13"] to scribe's request port
    Then I receive "BAD TOKEN" from scribe's request port
    And the file "${scribe.folder}/written.log" contains "ERROR: bad token"

  Scenario: a value the command printed is kept, and its whole output compared
    When I run "python -c 'print(\"job id=42\")'"
    And I store what the command's output matches "#regex job id=(\d+)" as "job"
    Then the checkpoint "job" is "42"
    And the command's output is "job id=42"

  Scenario: a command in the background prints its key a moment later
    When I start "python -c 'import time; time.sleep(0.2); print(\"public: K3Y\", flush=True); time.sleep(30)'" as "keygen"
    And I store what "keygen"'s output matches "#regex public: (\S+)" as "public_key" within 5 seconds
    Then the checkpoint "public_key" is "K3Y"
