#!/usr/bin/env python3
"""safetensors_io.py: reads and writes safetensors files with the standard
library and numpy only.

It is an independent implementation of the format, used by the e2e tests to
check that a checkpoint mgc's programs write is readable outside libmgrt and
that one written outside is readable by them.  Debian has no package of
Hugging Face's `safetensors`, so this file stands in for it.

    safetensors_io.py write FILE NAME=ARRAY.npy [NAME=ARRAY.npy ...]
        Writes the arrays (any dtype the format has) in the order given, with
        "__metadata__": {"format": "pt"}.  The header is written with
        json.dumps's default spacing, so that it differs from libmgrt's own
        compact header, and padded with spaces to a multiple of 8 bytes.

    safetensors_io.py read FILE [--hex]
        Checks the file as strictly as libmgrt does and prints, for each
        tensor in header order, a line "NAME DTYPE [SHAPE]" and then its
        values in row-major order, at most 8 to an indented line.  Floats are
        printed in numpy's shortest form that reads back to the same value;
        --hex prints the bit patterns instead, for bit-exact comparisons.

As a module: load(path) returns ({name: numpy array}, metadata) and
save(path, tensors, metadata=None) writes a dict of arrays.  In PyTorch:

    tensors, _ = safetensors_io.load("model.safetensors")
    model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})
"""

import json
import os
import struct
import sys

import numpy as np

# The dtypes of the format and their little-endian numpy equivalents.  BF16
# has none: it is read as uint16 and widened to float32.
DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
    "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?",
}
NUMPY_TO_DTYPE = {
    np.dtype(np.float64): "F64", np.dtype(np.float32): "F32", np.dtype(np.float16): "F16",
    np.dtype(np.int64): "I64", np.dtype(np.int32): "I32", np.dtype(np.int16): "I16",
    np.dtype(np.int8): "I8", np.dtype(np.uint64): "U64", np.dtype(np.uint32): "U32",
    np.dtype(np.uint16): "U16", np.dtype(np.uint8): "U8", np.dtype(np.bool_): "BOOL",
}
# The reference implementation's limit on the header, which libmgrt shares.
MAX_HEADER = 100_000_000


class SafetensorsError(Exception):
    pass


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

def encode(tensors, metadata=None):
    """The bytes of a safetensors file holding tensors ({name: array})."""
    header = {"__metadata__": dict(metadata or {"format": "pt"})}
    chunks, offset = [], 0
    for name, array in tensors.items():
        array = np.asarray(array)
        if name == "__metadata__" or not name:
            raise SafetensorsError(f"invalid tensor name {name!r}")
        if array.dtype not in NUMPY_TO_DTYPE:
            raise SafetensorsError(f"tensor '{name}': no safetensors dtype for {array.dtype}")
        dtype = NUMPY_TO_DTYPE[array.dtype]
        data = np.ascontiguousarray(array, dtype=np.dtype(DTYPES[dtype])).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data section starts 8-aligned
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save(path, tensors, metadata=None):
    """Writes tensors to path through a temporary file and a rename."""
    data = encode(tensors, metadata)
    tmp = f"{path}.tmp.{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------

def _no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise SafetensorsError(f"key '{key}' appears twice in the header")
        result[key] = value
    return result


def _reject_constant(name):
    raise SafetensorsError(f"header holds {name}, which is not JSON")


def _is_uint(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**63


def parse_header(raw, data_size):
    """The header's tensors ({name: (dtype, shape, begin, end)}, in header
    order) and metadata, after every check libmgrt makes."""
    if not raw.startswith(b"{"):
        raise SafetensorsError("header does not start with '{'")
    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates,
                            parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SafetensorsError(f"header is not valid JSON: {e}") from None
    except RecursionError:
        # json recurses into nested lists; no valid header nests deeper than 3
        raise SafetensorsError("header nests too deeply") from None
    if not isinstance(header, dict):
        raise SafetensorsError("header is not a JSON object")
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise SafetensorsError("__metadata__ must map strings to strings")
    entries = {}
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            raise SafetensorsError(f"tensor '{name}': expected exactly dtype, shape, data_offsets")
        dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in DTYPES:
            raise SafetensorsError(f"tensor '{name}' has unknown dtype {dtype!r}")
        if not isinstance(shape, list) or not all(_is_uint(d) for d in shape):
            raise SafetensorsError(f"tensor '{name}': shape must be a list of non-negative integers")
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(_is_uint(o) for o in offsets)):
            raise SafetensorsError(f"tensor '{name}': data_offsets must be two non-negative integers")
        begin, end = offsets
        if not begin <= end <= data_size:
            raise SafetensorsError(f"tensor '{name}' has data_offsets {offsets} outside the "
                                   f"data section ({data_size} bytes)")
        need = int(np.prod(shape, dtype=object)) * np.dtype(DTYPES[dtype]).itemsize
        if end - begin != need:
            raise SafetensorsError(f"tensor '{name}' has {end - begin} bytes, "
                                   f"but {dtype} {shape} needs {need}")
        entries[name] = (dtype, shape, begin, end)
    covered = 0
    for name, (_, _, begin, end) in sorted(entries.items(), key=lambda kv: kv[1][2:]):
        if begin != covered:
            raise SafetensorsError(f"tensor '{name}' at byte {begin}: the data section "
                                   f"{'overlaps' if begin < covered else 'has a hole'} there")
        covered = end
    if covered != data_size:
        raise SafetensorsError(f"bytes {covered} to {data_size} of the data section "
                               "belong to no tensor")
    return entries, metadata


def decode_entries(blob):
    """[(name, dtype, array)] in header order, and the metadata, from the
    bytes of a safetensors file.  BF16 tensors come back as float32."""
    if len(blob) < 8:
        raise SafetensorsError(f"file is {len(blob)} bytes long, too short")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        raise SafetensorsError(f"header length {n} is larger than the file")
    if n > MAX_HEADER:
        raise SafetensorsError(f"header length {n} exceeds the limit of {MAX_HEADER} bytes")
    data = blob[8 + n:]
    entries, metadata = parse_header(blob[8:8 + n], len(data))
    result = []
    for name, (dtype, shape, begin, end) in entries.items():
        array = np.frombuffer(data[begin:end], dtype=DTYPES[dtype]).reshape(shape)
        if dtype == "BF16":
            array = (array.astype(np.uint32) << 16).view(np.float32)
        # a writable copy in native byte order
        result.append((name, dtype, array.astype(array.dtype.newbyteorder("="))))
    return result, metadata


def load(path):
    """({name: numpy array}, metadata) of the file at path."""
    with open(path, "rb") as f:
        entries, metadata = decode_entries(f.read())
    return {name: array for name, _, array in entries}, metadata


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def format_values(array, hex_bits):
    flat = array.reshape(-1)
    if hex_bits and flat.dtype.kind == "f":
        width = flat.dtype.itemsize
        words = flat.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[width])
        return [f"0x{int(w):0{2 * width}x}" for w in words]
    if flat.dtype.kind == "b":
        return ["true" if v else "false" for v in flat]
    return [str(v) for v in flat]


def cmd_read(path, hex_bits):
    with open(path, "rb") as f:
        entries, metadata = decode_entries(f.read())
    if metadata:
        print("# metadata: " + json.dumps(metadata, sort_keys=True))
    for name, dtype, array in entries:
        print(f"{name} {dtype} [{', '.join(str(d) for d in array.shape)}]")
        values = format_values(array, hex_bits)
        for i in range(0, len(values), 8):
            print("  " + " ".join(values[i:i + 8]))


def cmd_write(path, specs):
    tensors = {}
    for spec in specs:
        name, sep, npy = spec.partition("=")
        if not sep or not name or not npy:
            raise SafetensorsError(f"expected NAME=FILE.npy, got {spec!r}")
        if name in tensors:
            raise SafetensorsError(f"tensor '{name}' given twice")
        tensors[name] = np.load(npy, allow_pickle=False)
    save(path, tensors)


USAGE = """usage: safetensors_io.py write FILE NAME=ARRAY.npy [NAME=ARRAY.npy ...]
       safetensors_io.py read FILE [--hex]"""


def main(argv):
    try:
        if len(argv) >= 3 and argv[0] == "write":
            cmd_write(argv[1], argv[2:])
        elif len(argv) in (2, 3) and argv[0] == "read" and argv[2:] in ([], ["--hex"]):
            cmd_read(argv[1], argv[2:] == ["--hex"])
        else:
            print(USAGE, file=sys.stderr)
            return 2
    except (SafetensorsError, OSError, ValueError) as e:
        where = argv[1] if len(argv) > 1 else ""
        print(f"safetensors_io.py: error: {where}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
