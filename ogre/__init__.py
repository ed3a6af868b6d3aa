"""Ogre: the sample ZeroMQ service that zmqprose's own specs run against."""
