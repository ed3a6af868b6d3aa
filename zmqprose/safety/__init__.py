"""The process safety net: process groups of their own, the run marker, the watchdog that ends them if zmqprose dies."""
