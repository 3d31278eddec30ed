import sys

# Where the environment asks for no bytecode files (PYTHONDONTWRITEBYTECODE), each worker
# would rewrite the asserts of every test module again (3.4 s of its collection), and every
# process the tests start (the apps in tmux, the CLI runs, the race's children) would
# compile the store's modules from source at each start. They go in the checkout's ignored
# __pycache__ folders, as Python's default would put them. Set here, before conftest's
# first import of the project: set in conftest, a fresh clone never cached models/ and
# the core of reception/.
sys.dont_write_bytecode = False
