"""The Dockerfile front end of the classic builder: parsing, variable
expansion, instruction parsing and .dockerignore matching.

Pure: standard library and attrs only (no asyncio, no sim, no host I/O), so
every rule here is testable without an event loop.  The build itself (the
evaluator that runs the instructions) is `daemon/backend/build.py`.
"""
