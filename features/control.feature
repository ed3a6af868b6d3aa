Feature: Apps and commands under the spec's control
  A spec can stop, kill and restart the services it tests, to prove that
  their clients carry on; run one-shot clients and check what they say; and
  start a custom client in the background, as Storyplayer's stories drove
  data pipelines through its shell module.

  Scenario: Ogre restarted mid-scenario, and the spec's sockets carry on
    Given ogre is running
    And I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port
    When I send the multipart message ["PING", "1"] to ogre's command port
    Then I receive the multipart message ["PONG", "1"] from ogre's response port
    When I restart ogre
    Then ogre is still running
    When I send the multipart message ["PING", "2"] to ogre's command port
    Then I receive the multipart message ["PONG", "2"] from ogre's response port within 5 seconds

  Scenario: a stopped app stays stopped until a step starts it again
    Given ogre is running
    When I stop ogre
    Then ogre is not running
    Given ogre is running
    Then ogre is still running
    And ogre's output contains "ogre listening"

  Scenario: an app's output is what its current process printed, waited for and matched
    Given ogre is running
    When I restart ogre
    Then ogre's output contains "ogre listening" within 5 seconds
    And ogre's output matches "#regex (?s)ogre listening: command=tcp://127\.0\.0\.1:\d+.*"
    And ogre's output does not contain "Traceback"
    And ogre's output does not contain "told to quit"

  Scenario: an app told to quit exits by itself with code 0
    Given ogre is running
    And I connect a REQ socket to ogre's control port
    When I send "QUIT" to ogre's control port
    Then I receive "BYE" from ogre's control port
    And ogre exits with code 0 within 5 seconds
    And ogre is not running
    And ogre's output contains "told to quit"

  Scenario: a one-shot command's exit code and output
    When I run "python -c \"import sys; print('sleeper'); sys.exit(3)\""
    Then the command exits with code 3
    And the command's output contains "sleeper"
    And the command's output does not contain "error"
    And the command's output matches "#regex sleeper\s*"
    And the command's error output is empty

  Scenario: a custom client pumps the pipeline in the background, controlled from the spec
    Given ogre is running
    And I connect a PULL socket to ogre's pipeline output port
    And ogre's pipeline output port becomes connected within 2 seconds
    When I start "python -m ogre.pump tcp://127.0.0.1:${ogre.pipeline_input_port} 100000" as "pump"
    Then I pull 100000 messages from ogre's pipeline output port within 30 seconds
    And the pulled messages arrived in order
    And "pump" exits with code 0 within 30 seconds
    And "pump"'s output contains "sent 100000 messages"
    And "pump"'s output does not contain "lost"

  Scenario: an app whose ports are in a config file written from a template, on free ports
    Given configured_ogre is running
    And I connect a REQ socket to configured_ogre's control port
    When I send "PING" to configured_ogre's control port
    Then I receive "PONG" from configured_ogre's control port
    And configured_ogre's output contains "configured by zmqprose"
