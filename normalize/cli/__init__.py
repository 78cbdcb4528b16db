"""The `metanorm` command: parse arguments, stream records, format output.

No normalization logic lives here. Each command is a module of this package (`stream` is
the plain `metanorm FILE...`), loaded only when it runs; what they share is in `common`,
how they print in `formats`. `main(argv) -> int` returns an exit code; only `run` (the
console-script entry) calls `sys.exit`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from normalize.cli.common import EXIT_BAD_INPUT, EXIT_CHANGES, EXIT_OK, EXIT_USAGE
from normalize.ruleset import RuleFileError

__all__ = ["EXIT_BAD_INPUT", "EXIT_CHANGES", "EXIT_OK", "EXIT_USAGE", "main", "run"]

# sub-command → (module, function); the plain command is `stream.normalize_command`
SUBCOMMANDS = {
    "check": ("normalize.cli.check", "check_command"),
    "fix": ("normalize.cli.datasets", "fix_command"),
    "diff": ("normalize.cli.datasets", "diff_command"),
    "explain": ("normalize.cli.explain", "explain_command"),
    "rules": ("normalize.cli.rules", "rules_command"),
    "undo": ("normalize.cli.undo", "undo_command"),
    "report": ("normalize.report.command", "report_command"),
    "schema": ("normalize.json_schema", "schema_command"),
}
PLAIN_COMMAND = ("normalize.cli.stream", "normalize_command")


def run() -> None:
    code = main()
    if code == 130:  # Ctrl-C: the workers are gone; skip the exit hooks that join their
        # pool's threads (they can wait for ever on a pipe to a dead worker)
        import os
        import signal

        # a second Ctrl-C cannot cut the exit short (here, not in `main`: a program that
        # calls `main` keeps its own Ctrl-C, and so do the processes it starts)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            module, function = SUBCOMMANDS[args[0]]
            args = args[1:]
        else:
            module, function = PLAIN_COMMAND
        command = getattr(importlib.import_module(module), function)
        return command(args)
    except RuleFileError as exc:  # a malformed rule file, from any command
        print(f"metanorm: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        _silence_broken_pipe()
        return EXIT_OK
    except KeyboardInterrupt:
        print("metanorm: interrupted", file=sys.stderr)
        return 130


def _silence_broken_pipe() -> None:
    """`metanorm big.jsonl | head`: the reader left; end quietly."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
