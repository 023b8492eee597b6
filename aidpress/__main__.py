"""`python -m aidpress`: the same command as `aidpress`."""

from cli import run

if __name__ == "__main__":
    run(prog_name="aidpress")
