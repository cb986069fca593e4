#!/usr/bin/env python3
"""Regenerate fuzz/corpus/vnet/: well-formed driver sessions for fuzz_vnet
(see the input layout in fuzz/fuzz_vnet.c): the three queues set up by
driver_init(val=0x30) (8 entries; queue q's descriptors at RAM offset
q * 0x3000), then receive buffers, a frame to send or a control command."""
import struct, os
RAM = 0x80000000
NUM = 8
BUF = 0x9000
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "vnet")

def op(kind, val=0, off=0, size=2):
    return struct.pack("<BBHI", kind, size, off, val)

def rings(q, legacy):
    d = q * 0x3000
    if legacy:                      # one block: avail after the table, used on the next page
        return d, d + 16 * NUM, d + 0x1000
    return d, d + 0x1000, d + 0x2000

def chain(ram, q, legacy, segs, slot=0, head=0):
    d, a, _ = rings(q, legacy)
    for i, (addr, ln, w) in enumerate(segs):
        nxt = head + i + 1 if i + 1 < len(segs) else 0
        fl = (2 if w else 0) | (1 if i + 1 < len(segs) else 0)
        struct.pack_into("<QIHH", ram, d + 16 * (head + i), RAM + addr, ln, fl, nxt)
    struct.pack_into("<H", ram, a + 4 + 2 * slot, head)
    struct.pack_into("<H", ram, a + 2, slot + 1)

def write(name, legacy, ram, ops):
    # no RAM image (it would pass libFuzzer's -max_len): RAM pokes of its
    # non-zero words instead
    pokes = b""
    for at in range(0, len(ram), 4):
        w = struct.unpack_from("<I", ram, at)[0]
        if w:
            pokes += op(4, w, at)
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([1 if legacy else 0]) + struct.pack("<H", 0) + pokes + op(6, 0x30) + ops)

os.makedirs(out, exist_ok=True)
for legacy in (False, True):
    sfx = "-legacy" if legacy else ""
    ram = bytearray(0xa000)
    chain(ram, 0, legacy, [(BUF, 2048, True)])
    ram[0x9800:0x9800 + 6] = b"\x52\x54\x00\x12\x34\x56"
    write("rx" + sfx, legacy, ram, op(7, 0x9800, 100) + op(8))
    ram = bytearray(0xa000)
    for i in range(4):
        chain(ram, 0, legacy, [(BUF + 0x100 * i, 96, True)], slot=i, head=i)
    ram[0x9800:0x9800 + 6] = b"\xff" * 6
    write("rx-merge" + sfx, legacy, ram, op(7, 0x9800, 300) + op(7, 0x9800, 60) + op(8))
    ram = bytearray(0xa000)
    hdr = struct.pack("<BBHHHHH", 1, 0, 0, 0, 34, 6, 0)
    ram[BUF:BUF + 12] = hdr
    chain(ram, 1, legacy, [(BUF, 12, False), (BUF + 0x100, 60, False)])
    write("tx-csum" + sfx, legacy, ram, op(5, 1) + op(8))
    ram = bytearray(0xa000)
    ram[BUF:BUF + 3] = b"\x00\x00\x00"            # RX_PROMISC off
    chain(ram, 2, legacy, [(BUF, 3, False), (BUF + 0x100, 1, True)])
    write("ctrl-promisc" + sfx, legacy, ram, op(5, 2) + op(7, 0x9800, 64) + op(8))
    ram = bytearray(0xa000)
    tbl = b"\x01\x00" + struct.pack("<I", 1) + b"\x52\x54\x00\x00\x00\x01" + struct.pack("<I", 0)
    ram[BUF:BUF + len(tbl)] = tbl
    chain(ram, 2, legacy, [(BUF, len(tbl), False), (BUF + 0x100, 1, True)])
    write("ctrl-mactable" + sfx, legacy, ram, op(5, 2) + op(9, 0x12, 5, 1))
