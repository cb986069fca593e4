#!/usr/bin/env python3
"""Kill hartvm at random moments while tests/system/blk_writer.c (mode 1)
writes, and check the image after each kill (tests/system/disk_crash.sh).

Each run is one epoch of the guest: it writes patterned blocks and reports
"F <epoch> <seq>" once every write up to seq has been flushed. After the
SIGKILL: `qemu-img check` must find no corruption (exit 0, or 3 for leaked
clusters only), and every sector must hold either what the last flushed
write to it put there or a later write of the guest (one it really made to
that sector, checked by replaying its generator), never anything else; a
sector no flushed write reached may also still hold what it held before.

Prints one line per check, "ok TEXT" or "bad TEXT", for the suite to count.
"""
import argparse
import os
import random
import signal
import subprocess
import sys
import time

M64 = (1 << 64) - 1
MAGIC = 0x52575648


class Guest:
    """The guest's writes, replayed: epoch -> [(first sector, sectors)] by seq."""

    def __init__(self, blocks):
        self.blocks = blocks
        self.writes = {}
        self.rng = {}

    def write(self, epoch, seq):
        w = self.writes.setdefault(epoch, [None])
        x = self.rng.get(epoch, (0x9e3779b97f4a7c15 * (epoch + 1)) & M64)
        while len(w) <= seq:
            x ^= x >> 12
            x ^= (x << 25) & M64
            x ^= x >> 27
            r = (x * 0x2545f4914f6cdd1d) & M64
            n = 1 + (r >> 61)
            at = (r >> 8) % (self.blocks - n + 1)
            w.append((at * 8, n * 8))
        self.rng[epoch] = x
        return w[seq]


def record(epoch, seq, sector):
    return (MAGIC.to_bytes(4, 'little') + epoch.to_bytes(4, 'little') + seq.to_bytes(4, 'little') +
            (sector & 0xffffffff).to_bytes(4, 'little')) * 32


def fill_base(path, sectors):
    """The backing file's contents: epoch 0, seq 0 in every sector."""
    with open(path, 'wb') as f:
        for s in range(sectors):
            f.write(record(0, 0, s))


def covers(w, s):
    return w[0] <= s < w[0] + w[1]


def verify(data, need, guest, max_seq):
    """Problems found in the image's bytes (a list of strings, at most 5)."""
    bad = []
    zero = bytes(512)
    for s in range(len(need)):
        blk = data[s * 512:(s + 1) * 512]
        req = need[s]
        if blk == zero:
            if req is not None:
                bad.append('sector %d reads zeros, the flushed write %s is lost' % (s, req))
        elif blk != blk[:16] * 32 or int.from_bytes(blk[:4], 'little') != MAGIC or \
                int.from_bytes(blk[12:16], 'little') != s & 0xffffffff:
            bad.append('sector %d holds bytes no write put there: %s' % (s, blk[:16].hex()))
        else:
            e, q = int.from_bytes(blk[4:8], 'little'), int.from_bytes(blk[8:12], 'little')
            if req is not None and (e, q) < req:
                bad.append('sector %d holds write %s, older than the flushed %s' % (s, (e, q), req))
            elif e == 0:
                if q != 0 or req != (0, 0):
                    bad.append('sector %d holds a base record %s it never had' % (s, (e, q)))
            elif q == 0 or q > max_seq.get(e, 0) or not covers(guest.write(e, q), s):
                bad.append('sector %d holds write %s, which the guest never made there' % (s, (e, q)))
        if len(bad) >= 5:
            break
    return bad


def image_bytes(image, fmt, scratch):
    if fmt == 'raw':
        with open(image, 'rb') as f:
            return f.read()
    subprocess.run(['qemu-img', 'convert', '-f', 'qcow2', '-O', 'raw', image, scratch], check=True)
    with open(scratch, 'rb') as f:
        return f.read()


def last_flush(out, epoch):
    seq = 0
    for line in out.split('\n')[:-1]:       # a last line without its newline may be cut
        p = line.strip().split()
        if len(p) == 3 and p[0] == 'F' and int(p[1], 16) == epoch:
            seq = int(p[2], 16)
    return seq


def qemu_img_check(image):
    r = subprocess.run(['qemu-img', 'check', image], capture_output=True, text=True)
    leaks = 0
    for line in r.stdout.split('\n'):
        if 'leaked clusters were found' in line:
            leaks = int(line.split()[0])
    return r.returncode, leaks, (r.stdout + r.stderr).strip().replace('\n', ' / ')


def main():
    a = argparse.ArgumentParser()
    a.add_argument('--hartvm', required=True)
    a.add_argument('--guest', required=True)
    a.add_argument('--image', required=True)
    a.add_argument('--fmt', choices=['raw', 'qcow2'], required=True)
    a.add_argument('--sectors', type=int, required=True)
    a.add_argument('--based', action='store_true', help='the image starts as fill_base made it')
    a.add_argument('--kills', type=int, default=15)
    a.add_argument('--seed', type=int, default=None)
    a.add_argument('--tag', default='')
    a.add_argument('--cache', default='writeback')
    a.add_argument('--aio', default='threads')
    a.add_argument('--scratch', required=True)
    o = a.parse_args()
    seed = o.seed if o.seed is not None else random.randrange(1 << 30)
    rnd = random.Random(seed)
    guest = Guest(o.sectors // 8)
    need = [(0, 0) if o.based else None] * o.sectors
    max_seq = {}
    flushed_total = 0
    leaks_seen = 0
    for epoch in range(1, o.kills + 1):
        what = '%s kill %d (seed %d)' % (o.tag, epoch, seed)
        orders = '0x%x' % (0xb1c0 << 48 | 1 << 32 | epoch)
        cmd = [o.hartvm, '-bios', 'none', '-kernel', o.guest, '-nographic', '-m', '128M',
               '-device', 'loader,addr=0x87f00000,data=%s,data-len=8' % orders,
               '-drive', 'file=%s,format=%s,if=none,id=d0,cache=%s,aio=%s' % (o.image, o.fmt, o.cache, o.aio),
               '-device', 'virtio-blk-device,drive=d0']
        with open(o.scratch + '.out', 'w+') as out, open(o.scratch + '.err', 'w+') as err:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            time.sleep(rnd.uniform(0.02, 0.5))
            p.send_signal(signal.SIGKILL)
            p.wait()
            out.seek(0)
            err.seek(0)
            text, errtext = out.read(), err.read().strip()
        if 'FAIL' in text or (errtext and p.returncode != -signal.SIGKILL):
            print('bad %s: the run failed before the kill: %s %s' % (what, text[-200:], errtext[-300:]))
            continue
        if p.returncode != -signal.SIGKILL:
            print('bad %s: hartvm ended by itself (status %d) before the kill' % (what, p.returncode))
            continue
        flushed = last_flush(text, epoch)
        # The console's last lines may not have reached the file when the
        # kill came: the image may hold writes well past the last report.
        max_seq[epoch] = 1 << 22
        if o.fmt == 'qcow2':
            rc, leaks, msg = qemu_img_check(o.image)
            if rc in (0, 3):
                leaks_seen += leaks
                print('ok %s: qemu-img check finds no corruption (%d leaked clusters)' % (what, leaks))
            else:
                print('bad %s: qemu-img check exits %d: %s' % (what, rc, msg[:400]))
                return
        problems = verify(image_bytes(o.image, o.fmt, o.scratch + '.raw'), need, guest, max_seq)
        if problems:
            print('bad %s: %d writes flushed; %s' % (what, flushed, '; '.join(problems)))
            return
        print('ok %s: every one of the %d flushed writes is there, nothing else is' % (what, flushed))
        for q in range(1, flushed + 1):
            first, n = guest.write(epoch, q)
            for s in range(first, first + n):
                need[s] = (epoch, q)
        flushed_total += flushed
    if flushed_total:
        print('ok %s: %d flushed writes over %d kills (%d clusters leaked in all)' %
              (o.tag, flushed_total, o.kills, leaks_seen))
    else:
        print('bad %s: no write was ever flushed: the test tested nothing' % o.tag)
    self_test(image_bytes(o.image, o.fmt, o.scratch + '.raw'), need, guest, max_seq, o.tag)


def self_test(data, need, guest, max_seq, tag):
    """The checker itself: a flushed write lost, a byte changed, an older
    write in place of a newer one are each found."""
    flushed = [s for s in range(len(need)) if need[s] is not None and need[s][0] > 0]
    if not flushed:
        print('bad %s: no flushed sector to test the checker on' % tag)
        return
    s = flushed[len(flushed) // 2]
    e, q = need[s]
    older = [w for w in range(1, q) if covers(guest.write(e, w), s)]
    cases = [('a lost write', bytes(512)), ('a changed byte', data[s * 512:s * 512 + 511] + b'?')]
    if older:
        cases.append(('an older write', record(e, older[-1], s)))
    for name, blk in cases:
        bad = verify(data[:s * 512] + blk + data[(s + 1) * 512:], need, guest, max_seq)
        print(('ok %s: the checker finds %s in sector %d' if bad else
               'bad %s: the checker misses %s in sector %d') % (tag, name, s))


if __name__ == '__main__':
    sys.exit(main())
