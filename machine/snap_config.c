/*
 * The machine's shape in a snapshot: what the command line decides and a
 * snapshot cannot change (-m, -smp, -cpu, --mmu, -icount, the virtio
 * slots' devices, the framebuffer). It is the first section, checked
 * before any other, so that resuming on a different command line says
 * what differs instead of failing on some part's section.
 */
#include "snap_parts.h"
#include "machine.h"
#include "state.h"
#include <inttypes.h>
#include <stdio.h>

enum fmt { NUM, SIZE, HEX, ON_OFF, SLOT };

static const struct field {
    const char *what;
    enum fmt fmt;
} fields[] = {
    { "-m", SIZE }, { "-smp", NUM }, { "-cpu extensions", HEX }, { "-cpu mmu=off", ON_OFF },
    { "-cpu pmp=off", ON_OFF }, { "-cpu short-isa-string", ON_OFF }, { "-cpu priv_spec", NUM },
    { "-cpu mvendorid", HEX }, { "-cpu marchid", HEX }, { "-cpu mimpid", HEX }, { "-cpu pmu-num", NUM },
    { "--mmu (satp mode)", NUM }, { "-global virtio-mmio.force-legacy", ON_OFF },
    { "-icount shift (-1: none)", NUM }, { "--fb width", NUM }, { "--fb height", NUM },
};
#define NFIELDS (sizeof fields / sizeof fields[0])
#define NVALUES (NFIELDS + VIRTIO_SLOTS)

/* The values, in the order of fields[], then each slot's virtio device id. */
static void values(const struct machine *m, uint64_t *v)
{
    const struct options *o = &m->opt;
    const struct cpu_model *c = &o->cpu;
    uint64_t f[NFIELDS] = { m->ram_size, (uint64_t)m->nharts, c->isa_off, c->no_mmu, c->no_pmp,
                            c->short_isa, (uint64_t)c->priv_spec, c->mvendorid, c->marchid,
                            c->mimpid, c->pmu_num, (uint64_t)o->mmu_max, o->force_legacy,
                            (uint64_t)(int64_t)o->icount_shift, m->fb.mem ? m->fb.width : 0,
                            m->fb.mem ? m->fb.height : 0 };
    for (size_t i = 0; i < NFIELDS; i++)
        v[i] = f[i];
    for (int s = 0; s < VIRTIO_SLOTS; s++) {
        const struct virtio_dev *d = m->vslot[s].vdev;
        v[NFIELDS + s] = d ? d->ops->device_id : 0;
    }
}

static void show(char *buf, size_t len, enum fmt f, uint64_t v)
{
    const char *dev = v == 2 ? "a virtio-blk disk" : v == 18 ? "a virtio-input device"
                    : v == 1 ? "a virtio-net NIC"
                    : v == 0 ? "nothing" : "a virtio device";
    switch (f) {
    case NUM: snprintf(buf, len, "%" PRId64, (int64_t)v); break;
    case SIZE: snprintf(buf, len, "%" PRIu64 "M", v >> 20); break;
    case HEX: snprintf(buf, len, "0x%" PRIx64, v); break;
    case ON_OFF: snprintf(buf, len, "%s", v ? "on" : "off"); break;
    case SLOT: snprintf(buf, len, "%s", dev); break;
    }
}

static void config_save(struct machine *m, uint32_t inst, struct state_out *o)
{
    uint64_t v[NVALUES];
    (void)inst;
    values(m, v);
    state_put_u32(o, (uint32_t)NVALUES);
    for (size_t i = 0; i < NVALUES; i++)
        state_put_u64(o, v[i]);
}

static int config_check(struct machine *m, uint32_t inst, struct state_in *in, char *err,
                        size_t errlen)
{
    uint64_t here[NVALUES];
    (void)inst;
    values(m, here);
    if (state_get_u32(in) != NVALUES)
        return state_reject(in, "a different number of values");
    for (size_t i = 0; i < NVALUES; i++) {
        uint64_t saved = state_get_u64(in);
        if (in->bad || saved == here[i])
            continue;
        char a[48], b[48], what[48];
        enum fmt f = i < NFIELDS ? fields[i].fmt : SLOT;
        show(a, sizeof a, f, saved);
        show(b, sizeof b, f, here[i]);
        if (i < NFIELDS)
            snprintf(what, sizeof what, "%s", fields[i].what);
        else
            snprintf(what, sizeof what, "virtio-mmio slot %zu (-drive/-device)", i - NFIELDS);
        snprintf(err, errlen, "the snapshot is of another machine: %s is %s in the snapshot, %s "
                 "here (start with the command line it was saved with)", what, a, b);
        return -1;
    }
    return 0;
}

/* Checked already: nothing to apply. */
static int config_restore(struct machine *m, uint32_t inst, struct state_in *in)
{
    char err[8];
    return config_check(m, inst, in, err, sizeof err);
}

const struct snap_part snap_config_part = {
    .name = "config", .version = 2,
    .save = config_save, .check = config_check, .restore = config_restore,
};
