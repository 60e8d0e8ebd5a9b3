"""`python -m harness` runs the command-line interface."""

from harness.entry import main

if __name__ == "__main__":
    main()
