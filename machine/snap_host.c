/*
 * What the host side of a run holds that the guest will still see or be
 * judged by: console input already read from the host but not yet taken
 * by the UART (a line typed half-way stays typed), and the --trace-digest
 * count and running hash (a resumed run's trace goes on from the saved
 * instruction; with another N, the next line is at the next multiple),
 * and the run loop's place: the hart whose turn a stop cut short and the
 * steps left of it, so that with several harts the resumed run takes the
 * turns the uninterrupted one would have.
 */
#include "snap_parts.h"
#include "machine.h"
#include "state.h"

static void console_save(struct machine *m, uint32_t inst, struct state_out *o)
{
    const struct console *c = &m->console;
    (void)inst;
    state_put_u16(o, (uint16_t)c->count);
    for (unsigned i = 0; i < c->count; i++)
        state_put_u8(o, c->buf[(c->head + i) % sizeof c->buf]);
}

static int console_restore(struct machine *m, uint32_t inst, struct state_in *in)
{
    struct console *c = &m->console;
    (void)inst;
    unsigned n = state_get_u16(in);
    if (n > sizeof c->buf)
        return state_reject(in, "more pending input than the console holds");
    state_get_bytes(in, c->buf, n);
    c->head = 0;
    c->count = n;
    return in->bad ? -1 : 0;
}

static void trace_save(struct machine *m, uint32_t inst, struct state_out *o)
{
    (void)inst;
    state_put_u64(o, m->trace.count);
    state_put_u64(o, m->trace.hash);
}

static int trace_restore(struct machine *m, uint32_t inst, struct state_in *in)
{
    struct trace_digest *t = &m->trace;
    (void)inst;
    uint64_t count = state_get_u64(in), hash = state_get_u64(in);
    if (in->bad || !t->out)
        return in->bad ? -1 : 0;
    t->count = count;
    t->hash = hash;
    t->next = (count / t->every + 1) * t->every;
    return 0;
}

static void turn_save(struct machine *m, uint32_t inst, struct state_out *o)
{
    (void)inst;
    state_put_u32(o, (uint32_t)m->turn_hart);
    state_put_u64(o, m->turn_left);
}

static int turn_restore(struct machine *m, uint32_t inst, struct state_in *in)
{
    (void)inst;
    uint32_t hart = state_get_u32(in);
    uint64_t left = state_get_u64(in);
    if (hart >= (uint32_t)m->nharts || left > RUN_QUANTUM)
        return state_reject(in, "turn of a hart that does not exist, or longer than a quantum");
    m->turn_hart = (int)hart;
    m->turn_left = left;
    m->resume_turn = true;
    return 0;
}

const struct snap_part snap_console_part = {
    .name = "console", .version = 1, .save = console_save, .restore = console_restore,
};
const struct snap_part snap_trace_part = {
    .name = "trace", .version = 1, .save = trace_save, .restore = trace_restore,
};
const struct snap_part snap_turn_part = {
    .name = "turn", .version = 1, .save = turn_save, .restore = turn_restore,
};
