#!/usr/bin/env python3
"""profile_report.py -- where a generated program's training step spends its
time, from a `perf record --call-graph=fp` of its --bench run (bench/profile.sh
makes one and explains the recipe).

  profile_report.py PROGRAM GENERATED_C PERF_DATA STEP_US

Every sample is placed by its call chain: the innermost frame that lies in
the generated C (found with addr2line, inlined code included) says which
function (forward, backward, update, train_step) and which of its blocks
(the comment the compiler writes above each kernel, e.g. "t10 = fused
[N, 256]") it belongs to; the innermost frame overall says where the time
went (a libmgrt function such as the matrix product's micro-kernel, or the
generated loops themselves).  Samples outside those four functions (loading
the data, the timer, start-up) are counted apart and left out of the shares.
STEP_US, the --bench median, turns a share of the step into microseconds.
Prints Markdown tables on stdout.
"""
import collections
import re
import subprocess
import sys

STEP_FUNCTIONS = ("forward", "backward", "update", "train_step")


def read_samples(program, data):
    """The call chains: lists of (address, symbol, dso), innermost first."""
    # perf prints addresses relative to the mapping; a symbol's own address
    # (from nm) plus the offset is the one addr2line wants
    symbols = {}
    for line in subprocess.run(["nm", program], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            symbols.setdefault(parts[2], int(parts[0], 16))
    out = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,symoff,dso"],
                         capture_output=True, text=True, check=True).stdout
    samples, chain = [], []
    for line in out.splitlines():
        m = re.match(r"\s*([0-9a-f]+) (.*?)(?:\+0x([0-9a-f]+))? \((.*)\)$", line)
        if m:
            sym, dso = m.group(2), m.group(4)
            address = int(m.group(1), 16)
            if dso.endswith("/" + program.split("/")[-1]) and sym in symbols and m.group(3):
                address = symbols[sym] + int(m.group(3), 16)
            chain.append((address, sym, dso))
        elif chain:
            samples.append(chain)
            chain = []
    if chain:
        samples.append(chain)
    return samples


def locate(program, addresses):
    """address -> list of (function, file, line), innermost inline first."""
    addresses = sorted(addresses)
    if not addresses:
        return {}
    out = subprocess.run(["addr2line", "-e", program, "-f", "-i", "-a"] +
                         ["%x" % a for a in addresses],
                         capture_output=True, text=True, check=True).stdout
    where, current = {}, None
    lines = out.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("0x"):
            current = int(lines[i], 16)
            where[current] = []
            i += 1
            continue
        func = lines[i]
        loc = lines[i + 1] if i + 1 < len(lines) else "??:0"
        path, _, num = loc.rpartition(":")
        num = re.match(r"\d+", num)
        where[current].append((func, path, int(num.group(0)) if num else 0))
        i += 2
    return where


def blocks_of(generated_c):
    """For each line of the generated C: (function, block label)."""
    func, label, table = None, "", [None]
    for text in open(generated_c, encoding="utf-8"):
        m = re.match(r"^(?:static\s+)?[A-Za-z_][\w\s\*]*?\b(\w+)\([^;]*\)\s*\{\s*$", text)
        if m:
            func, label = m.group(1), "(the function's own code)"
        elif re.match(r"^\}", text):
            pass
        else:
            c = re.match(r"^\s*(?:\{\s*)?/\*\s*(.*?)\s*(?:\*/)?$", text)
            if c and func and (re.match(r"\S+ = ", c.group(1)) or
                               re.match(r"[\w.]+ \*/?$", c.group(1) + " */")):
                if re.match(r"\S+ = ", c.group(1)) or (func == "update" and "." in c.group(1)):
                    label = c.group(1).rstrip("*/ ")
        table.append((func, label))
    return table


def where_name(frame, loc, generated_c):
    """What the innermost frame is: a libmgrt function, the kernel, ..."""
    address, sym, dso = frame
    if dso.startswith("[kernel"):
        return "operating system (page faults, interrupts)"
    inner = loc.get(address)
    if inner and any(path.endswith(generated_c.split("/")[-1]) for _, path, _ in inner):
        return "generated loops"
    name = re.sub(r"\+0x[0-9a-f]+$", "", sym)
    if re.match(r"mgrt_mm_k\d?_?\d+_f(32|64)$", name):
        return "libmgrt product: micro-kernel (%s)" % name
    if name.startswith("mgrt_mm_pack"):
        return "libmgrt product: packing (%s)" % name
    if name.startswith("mgrt_") or (inner and "/runtime/" in inner[-1][1]):
        return "libmgrt: " + name
    return "%s (%s)" % (name, dso.split("/")[-1])


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    program, generated_c, data, step_us = sys.argv[1:5]
    step_us = float(step_us)
    samples = read_samples(program, data)
    addresses = set()
    for chain in samples:
        for depth, (address, _, dso) in enumerate(chain):
            if dso.endswith(program.split("/")[-1]):
                addresses.add(address if depth == 0 else address - 1)
    loc = locate(program, addresses)
    table = blocks_of(generated_c)
    base = generated_c.split("/")[-1]
    by_block = collections.Counter()
    by_where = collections.Counter()
    by_phase = collections.Counter()
    outside = 0
    for chain in samples:
        placed = None
        for depth, (address, _, dso) in enumerate(chain):
            a = address if depth == 0 else address - 1
            for func, path, line in loc.get(a, []):
                if path.endswith(base) and 0 < line < len(table):
                    placed = table[line]
                    break
            if placed:
                break
        if not placed or placed[0] not in STEP_FUNCTIONS:
            outside += 1
            continue
        what = where_name(chain[0], {chain[0][0]: loc.get(chain[0][0], [])}, generated_c)
        by_block[(placed[0], placed[1], what)] += 1
        by_where[re.sub(r" \(.*\)$", "", what)] += 1
        by_phase[placed[0]] += 1
    total = sum(by_phase.values())
    if total == 0:
        sys.exit("profile_report.py: no samples in the training step")

    def us(count):
        return "%.0f" % (step_us * count / total)

    print("%d samples in the step (%d outside it: loading, start-up); "
          "median step %.0f us." % (total, outside, step_us))
    print()
    print("| phase | share | µs/step |")
    print("|---|---:|---:|")
    for phase in STEP_FUNCTIONS:
        if by_phase[phase]:
            print("| %s | %.1f%% | %s |" % (phase, 100.0 * by_phase[phase] / total, us(by_phase[phase])))
    print()
    print("| where | share | µs/step |")
    print("|---|---:|---:|")
    rest = 0
    for what, count in by_where.most_common():
        if 100.0 * count / total < 0.1:
            rest += count
            continue
        print("| %s | %.1f%% | %s |" % (what, 100.0 * count / total, us(count)))
    if rest:
        print("| everything under 0.1%% each | %.1f%% | %s |" % (100.0 * rest / total, us(rest)))
    print()
    print("| phase | block of the generated C | where | share | µs/step |")
    print("|---|---|---|---:|---:|")
    for (phase, label, what), count in by_block.most_common():
        if 100.0 * count / total < 0.3:
            continue
        print("| %s | %s | %s | %.1f%% | %s |" % (phase, label.replace("|", "\\|"), what,
                                                 100.0 * count / total, us(count)))
    print()
    print("Rows under 0.3% of the step are left out of the last table.")


if __name__ == "__main__":
    main()
