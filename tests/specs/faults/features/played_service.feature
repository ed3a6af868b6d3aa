Feature: mistakes with a service the spec plays
  played_kernel has no "start" and its ports are 0: the spec plays it, and its
  binds choose the ports. Whatever needs a port before that says so.

  Scenario: a connect before the bind
    Given I connect a DEALER socket to played_kernel's shell port

  Scenario: is running, for an app the spec plays
    Given played_kernel is running

  Scenario: the client under test started before the bind
    Given jupyter_run is running
