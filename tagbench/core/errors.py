"""The one exception type that the stages and the CLI turn into a one-line error."""

import functools
import sys


class TagbenchError(Exception):
    """A user-facing error: bad data, bad params or a missing artifact."""


def exits_cleanly(main):
    """Wrap an entry point so that a TagbenchError prints one line and exits 2."""

    @functools.wraps(main)
    def wrapper(*args, **kwargs):
        try:
            return main(*args, **kwargs)
        except TagbenchError as error:
            print(f"error: {error}", file=sys.stderr)
            sys.exit(2)

    return wrapper
