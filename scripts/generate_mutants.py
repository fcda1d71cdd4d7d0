"""Generate mutmut's mutants into ``mutants/`` without running any test.

``mutmut run`` generates the mutants and then runs the whole configured test selection once to
learn which tests reach which function, before it runs a single mutant: on 2 shared cores that
first pass alone takes many minutes. ``scripts/run_mutants.py`` needs only the generated files,
so this does mutmut's generation step alone (mutmut 3.8's own functions, as ``mutmut run`` calls
them). It is incremental, like mutmut: only source files changed since the last run are mutated
again, and the tests are copied afresh.

    .venv/bin/python scripts/generate_mutants.py   # from the repository root
"""

from __future__ import annotations

from pathlib import Path

import mutmut.__main__ as mutmut


def main() -> None:
    mutmut.set_mutant_under_test("mutant_generation")
    Path("mutants").mkdir(exist_ok=True)
    mutmut.copy_src_dir()
    mutmut.copy_also_copy_files()
    mutmut.setup_source_paths()
    mutmut.store_lines_covered_by_tests()
    print(mutmut.create_mutants(1))


if __name__ == "__main__":
    main()
