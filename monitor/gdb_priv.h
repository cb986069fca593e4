/*
 * The gdb remote stub's own state, shared by its four files:
 *   gdb_conn.c     the sockets: listening, the client, sending replies, the
 *                  event sources that watch both while the guest runs
 *   gdb_target.c   what gdb reads and writes: target.xml, registers, memory
 *   gdb_packets.c  one function per packet kind, and the dispatch
 *   gdbstub.c      stop replies and the loop that runs the machine for gdb
 * Nothing outside these files includes this header: the rest of the
 * debugger sees gdb_open/gdb_run/gdb_close/gdb_where (dbg.h).
 */
#ifndef MONITOR_GDB_PRIV_H
#define MONITOR_GDB_PRIV_H
#include "dbg.h"
#include "gdb_packet.h"

/* Register numbers as gdb's RISC-V target description uses them (gdb
 * riscv-tdep.h): x0-x31, pc, f0-f31, then CSR n at 65 + n, and the
 * virtual "priv" register after the 4096 CSRs. */
#define REG_PC 32
#define REG_F0 33
#define REG_CSR0 65
#define REG_PRIV (REG_CSR0 + 4096)
#define NZ 64                   /* breakpoints and watchpoints gdb may have set */

struct zrec {
    int num, num2;              /* the debugger's numbers (Z4: one read, one write watch); 0: free */
    int type;                   /* 0..4 as in the Z packet */
    uint64_t addr, len;
};

struct gdbstub {
    struct debugger *d;
    int lfd, cfd;
    char *unix_path;            /* unlinked at close */
    struct gdb_rx rx;
    bool noack;                 /* QStartNoAckMode */
    char *last;                 /* the last packet sent, for a '-' */
    size_t last_len;
    char *xml;                  /* target.xml */
    size_t xml_len;
    struct zrec z[NZ];
    int gthread;                /* Hg: registers and memory (a hart) */
    bool resumed;               /* gdb resumed the guest: a stop owes it a stop reply */
    bool intr;                  /* the stop was gdb's 0x03 */
    bool held;                  /* a packet arrived while running: rx.buf holds it */
    bool absorb_step;           /* a watchpoint stop was reported after its access (stop_reply) */
    uint64_t shown_pc;          /* meanwhile gdb sees this pc for the stopped hart */
    uint32_t run_mask;          /* the harts a continue resumes (vCont;c:TID: some only) */
    char text[GDB_PKT_MAX + 1];         /* a reply's payload being built */
    uint8_t bytes[GDB_PKT_MAX / 2 + 1]; /* binary data of a packet (memory, a monitor command) */
    char out[2 * GDB_PKT_MAX + 8];      /* framing buffer */
};

/* What a packet asks the machine to do. */
enum action { ACT_NONE, ACT_CONTINUE, ACT_STEP, ACT_DETACH, ACT_KILL };

/* gdb_conn.c */
void stub_send(struct gdbstub *g, const char *p, size_t n);
void stub_reply_bin(struct gdbstub *g, const void *payload, size_t len);
void stub_reply(struct gdbstub *g, const char *s);
void stub_reply_err(struct gdbstub *g, int e);
void stub_client_gone(struct gdbstub *g);
bool stub_accept(struct gdbstub *g);
void stub_request_stop(struct gdbstub *g);

/* gdb_target.c */
int stub_build_xml(struct gdbstub *g);
struct hart *stub_hart(struct gdbstub *g);      /* the Hg hart */
uint64_t stub_pc(struct gdbstub *g, struct hart *h);
/* Register n of h: its size in bytes (0: no such register). */
unsigned stub_reg_get(struct gdbstub *g, struct hart *h, unsigned long n, uint64_t *v);
bool stub_reg_set(struct gdbstub *g, struct hart *h, unsigned long n, const char *hex);
void stub_regs_read(struct gdbstub *g);                         /* g */
void stub_regs_write(struct gdbstub *g, const char *hex, size_t len);   /* G */
void stub_read_memory(struct gdbstub *g, const char *args);
void stub_write_memory(struct gdbstub *g, const uint8_t *data, uint64_t addr, size_t len);
void stub_xfer(struct gdbstub *g, const char *data, size_t size, const char *range);
void stub_threads_xml(struct gdbstub *g, const char *range);

/* gdb_packets.c: one packet (NUL-terminated at p[len]) */
enum action stub_handle(struct gdbstub *g, char *p, size_t len, int *step_hart);

/* gdbstub.c */
struct zrec *stub_z_of_num(struct gdbstub *g, int num);
void stub_stop_reply(struct gdbstub *g);

#endif
