"""Run every benchmark in bench/ one after the other; each prints its own numbers. Files
starting with "_" are the benchmarks' shared code, not benchmarks."""

import subprocess
import sys
from pathlib import Path

for script in sorted(Path(__file__).parent.glob("*.py")):
    if script.name != "run_all.py" and not script.name.startswith("_"):
        print(f"== {script.name}", flush=True)
        subprocess.run([sys.executable, str(script)], check=False)
