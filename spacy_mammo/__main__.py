"""`python -m spacy_mammo COMMAND [ARGS]`: the commands of `python -m spacy mammo COMMAND [ARGS]`."""

from .cli import main

if __name__ == "__main__":
    main()
