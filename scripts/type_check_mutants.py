"""Name the mutants mypy rejects: those bugs cannot land, as ``.ci/run`` runs mypy strict.

mutmut writes every mutant into ``mutants/`` as a function of its own, so one mypy run over that
tree (``type_check_command`` in ``[tool.mutmut]``) finds each mutant that does not type-check:
an argument of ``None`` where a ``str`` is wanted, an argument removed, a misspelt attribute.
mutmut's own step for this also counts "attribute already defined" (``no-redef``), which is its
artefact, not the mutant's: a class's ``__init__`` is copied once per mutant, each copy
annotating the same attributes. Here a mutant counts only with an error of another kind.

Prints one JSON line per mutant caught, as ``scripts/run_mutants.py`` prints them, marked
``"types": true``: ``scripts/mutant_table.py`` counts them in a column of their own, and
``run_mutants.py --skip`` leaves them out.

    .venv/bin/python scripts/type_check_mutants.py > typed.jsonl   # from the repository root
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import libcst as cst
from mutmut.configuration import config
from mutmut.mutation.file_mutation import MutatedMethodsCollector
from mutmut.utils.format_utils import get_mutant_name

ARTEFACTS = {"no-redef"}  # mutmut's copies of one __init__ annotate the same attributes


def mypy_errors() -> list[dict[str, object]]:
    """mypy's errors over ``mutants/``, as the JSON objects it prints one a line."""
    # the mypy of this interpreter's environment, activated or not
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    done = subprocess.run(
        config().type_check_command, cwd="mutants", capture_output=True, text=True,
        env={**os.environ, "PATH": path}, check=False,
    )  # fmt: skip
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def caught_mutants(errors: list[dict[str, object]]) -> dict[str, str]:
    """Each mutant with an error inside its function, and the first such error's message."""
    by_file: defaultdict[str, list[dict[str, object]]] = defaultdict(list)
    for error in errors:
        if error["code"] not in ARTEFACTS:
            by_file[str(error["file"])].append(error)
    caught: dict[str, str] = {}
    for file, found in by_file.items():
        path = Path("mutants") / file
        collector = MutatedMethodsCollector(path)
        cst.MetadataWrapper(cst.parse_module(path.read_text())).visit(collector)
        for error in sorted(found, key=lambda error: int(str(error["line"]))):
            line = int(str(error["line"]))
            for method in collector.found_mutants:
                if method.line_number_start <= line <= method.line_number_end:
                    name = get_mutant_name(Path(file), method.function_name)
                    caught.setdefault(name, str(error["message"]))
    return caught


def main() -> None:
    for name, message in sorted(caught_mutants(mypy_errors()).items()):
        print(
            json.dumps({"name": name, "code": 1, "s": 0, "by": f"mypy: {message}", "types": True})
        )


if __name__ == "__main__":
    main()
