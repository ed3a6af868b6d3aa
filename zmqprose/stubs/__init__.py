"""Stubs: stand-ins for the services an app under test talks to, answering by rules."""
