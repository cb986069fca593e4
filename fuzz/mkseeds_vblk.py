#!/usr/bin/env python3
"""Regenerate fuzz/corpus/vblk/: well-formed driver sessions for fuzz_vblk
(see the input layout in fuzz/fuzz_vblk.c). Each seed initialises the device,
places one request chain in RAM and notifies; the fuzzer mutates from there."""
import struct, os
RAM = 0x80000000
DESC, AVAIL, USED = 0x0000, 0x1000, 0x2000     # RAM offsets, driver_init(val=0x30)
BUF = 0x8000
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "vblk")

def op(kind, val=0, off=0, size=2):
    return struct.pack("<BBHI", kind, size, off, val)

def seed(name, flags, chain, hdr, data=b"", indirect=False):
    ram = bytearray(0x2100)
    descs = chain
    table = DESC if not indirect else 0x600
    for i, (addr, ln, fl) in enumerate(descs):
        nxt = i + 1 if i + 1 < len(descs) else 0
        f = fl | (1 if i + 1 < len(descs) else 0)
        struct.pack_into("<QIHH", ram, table + 16 * i, RAM + addr, ln, f, nxt)
    if indirect:
        struct.pack_into("<QIHH", ram, DESC, RAM + table, 16 * len(descs), 4, 0)
    struct.pack_into("<HHH", ram, AVAIL, 0, 1, 0)        # flags, idx = 1, ring[0] = head 0
    extra = bytearray(0x100)
    struct.pack_into("<IIQ", extra, 0, *hdr)
    extra[16:16 + len(data)] = data
    ram[0x2000:0x2100] = b"\0" * 0x100
    body = bytes(ram) + bytes(BUF - len(ram)) + bytes(extra)
    # keep the image short: the header and data go in by RAM pokes instead
    body = bytes(ram)
    ops = op(6, 0x30)
    for k in range(0, 16 + len(data), 4):
        ops += op(4, struct.unpack_from("<I", bytes(extra), k)[0], BUF + k)
    ops += op(5, 0) + op(1, 0, 0x60) + op(7)
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([flags]) + struct.pack("<H", len(body)) + body + ops)

os.makedirs(out, exist_ok=True)
HDR, DATA, ST = BUF, BUF + 0x10, BUF + 0x300
W = 2
seed("read", 0, [(HDR, 16, 0), (DATA, 512, W), (ST, 1, W)], (0, 0, 3))
seed("write", 0, [(HDR, 16 + 512, 0), (ST, 1, W)], (1, 0, 5), b"\x5a" * 48)
seed("write-snap", 4, [(HDR, 16 + 512, 0), (ST, 1, W)], (1, 0, 5))
seed("write-ro", 2, [(HDR, 16 + 512, 0), (ST, 1, W)], (1, 0, 5))
seed("getid", 0, [(HDR, 16, 0), (DATA, 20, W), (ST, 1, W)], (8, 0, 0))
seed("flush", 0, [(HDR, 16, 0), (ST, 1, W)], (4, 0, 0))
seed("discard", 0, [(HDR, 32, 0), (ST, 1, W)], (11, 0, 0), struct.pack("<QII", 2, 4, 0))
seed("wzeroes", 4, [(HDR, 32, 0), (ST, 1, W)], (13, 0, 0), struct.pack("<QII", 2, 4, 0))
seed("read-indirect", 0, [(HDR, 16, 0), (DATA, 512, W), (ST, 1, W)], (0, 0, 7), indirect=True)
seed("legacy-read", 1, [(HDR, 16, 0), (DATA, 512, W), (ST, 1, W)], (0, 0, 3))
print(len(os.listdir(out)), "seeds")
