Feature: under Then, a condition is only checked
  A phrase that states a condition makes it so under Given and When, and only
  checks it under Then (and an And or But after a Then): a spec that relied on
  Then to start an app, or to mend a link, fails and is told what to write.
  Run with the settings tests/specs/test_then_only_checks_spec.py writes (ogre, and
  outside, an app zmqprose does not start, on ogre's control port).

  Scenario: Then ogre is running fails when ogre is not running
    Then ogre is running

  Scenario: and it did not start ogre
    Then ogre is not running

  Scenario: an app a Given started is running under Then
    Given ogre is running
    Then ogre is running
    And ogre is still running
    And outside is running

  Scenario: Then does not start again an app a step stopped
    Given ogre is running
    When I stop ogre
    Then ogre is running

  Scenario: and it stayed stopped
    Then ogre is not running

  Scenario: an app that zmqprose does not start runs when its ports listen
    Then outside is running

  Scenario: a link's state is checked under Then and changed under Given and When
    Given ogre is running
    And a link to ogre's control port as "control-link"
    Then the link "control-link" is healthy
    And the link "control-link" is restored
    When the link "control-link" is cut
    Then the link "control-link" is cut
    When the link "control-link" is restored
    And the link "control-link" stalls
    Then the link "control-link" is restored
    But the link "control-link" is healthy
