"""Load from Locust workers (docs: how-to/pipelines-and-load.md, *Load tests with Locust*): a load run by Locust's
own master and workers.

zmqprose does not generate load itself: Locust does, from a master and its
workers, on this machine or on many. This room starts them for a scenario
(:mod:`~zmqprose.load.run`), hands the workers the scenario's settings
(:mod:`~zmqprose.load.handoff`), and reads what Locust counted
(:mod:`~zmqprose.load.statistics`), which the master writes when the load
ends (:mod:`~zmqprose.load.master`, the only module here that imports Locust;
nothing imports it, Locust runs it). The Locust user that speaks ZeroMQ is
:mod:`zmqprose.locust`.
"""
