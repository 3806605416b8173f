#!/usr/bin/python3
"""Where a program's time goes, in the performance appendix's categories.

    perf record -F 2999 -o perf.data PROGRAM ...
    perf report -i perf.data --no-children --sort dso,symbol --stdio > report.txt
    /usr/bin/python3 scripts/perf_shares.py report.txt

Reads perf's report (samples by library and function) and sums the shares into: the
products' arithmetic (OpenBLAS's sgemm/sgemv kernels), OpenBLAS's packing and scaling of
operands, threads waiting (spinning in libgomp or in OpenBLAS's own pool, yielding, and
the operating system's side of sleeping and waking), copies and fills (memmove, memset),
the element-wise work of the book's own code, and the rest.
"""
import re
import sys

CATEGORIES = [
    ("products: OpenBLAS kernels", lambda dso, sym: "openblas" in dso and "kernel" in sym
     or "openblas" in dso and re.search(r"sgemv_[nt]_", sym)),
    ("products: packing and scaling operands", lambda dso, sym: "openblas" in dso and
     re.search(r"copy|beta", sym)),
    ("waiting: threads spinning, yielding, sleeping", lambda dso, sym: "libgomp" in dso
     or "sched_yield" in sym or dso == "[kernel.kallsyms]" or "openblas" in dso and
     re.search(r"blas_thread_server|exec_blas|0x[0-9a-f]+$", sym)),
    ("copies and fills (memmove, memset)", lambda dso, sym: re.search(r"mem(move|cpy|set)", sym)),
    ("element-wise work of the book's code", lambda dso, sym: not dso.startswith("lib")
     and not dso.startswith("[")),
]


def main():
    shares = {name: 0.0 for name, _ in CATEGORIES}
    other = 0.0
    line_re = re.compile(r"^\s*([0-9.]+)%\s+(\S+)\s+\[[.k]\]\s+(.*?)\s*$")
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        for line in f:
            m = line_re.match(line)
            if not m:
                continue
            share, dso, sym = float(m.group(1)), m.group(2), m.group(3)
            for name, test in CATEGORIES:
                if test(dso, sym):
                    shares[name] += share
                    break
            else:
                other += share
    for name, _ in CATEGORIES:
        print(f"{shares[name]:6.1f}%  {name}")
    print(f"{other:6.1f}%  everything else (the C and maths libraries, allocation, ...)")


if __name__ == "__main__":
    main()
