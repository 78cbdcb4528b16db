"""`python -m normalize` is the `metanorm` command."""

from normalize.cli import run

if __name__ == "__main__":
    run()
