"""Pictures of scenarios: message sequence diagrams drawn from their stories (:mod:`~zmqprose.pictures.diagram`)."""
