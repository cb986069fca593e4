/*
 * ns16550a UART at 0x1000_0000, registers one byte apart.
 *
 *   0 RBR (read) / THR (write)     DLL when LCR.DLAB
 *   1 IER  bit 0 ERBFI (rx data), bit 1 ETBEI (THR empty)   DLM when LCR.DLAB
 *   2 IIR (read)  bits 7:6 = 11 when FIFOs on; 3:0 = 0001 none,
 *                 0110 line status, 0100 rx data, 0010 THR empty
 *     FCR (write) bit 0 enable FIFOs, bit 1 clear rx, bit 2 clear tx
 *   3 LCR  bit 7 DLAB
 *   4 MCR  bit 4 loopback
 *   5 LSR  bit 0 DR, bit 1 OE, bit 4 BI (a break: C-a b), bit 5 THRE, bit 6 TEMT
 *   6 MSR  DCD, DSR, CTS always asserted
 *   7 SCR  scratch
 *
 * Transmission is immediate: a byte written to THR goes to the output at
 * once, so THR is always empty and a THR-empty interrupt (when enabled) is
 * raised after each write, cleared by reading IIR or writing THR.
 * Received bytes (console input) wait in a 16-byte FIFO. The interrupt
 * line is level: high while IIR reports something.
 */
#include "uart.h"
#include "../state.h"
#include "../fdt.h"
#include "../../mmu/bus.h"
#include <libfdt.h>

#define IER_ERBFI 0x01
#define IER_ETBEI 0x02
#define IER_ELSI  0x04
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define LSR_DR   0x01
#define LSR_OE   0x02
#define LSR_BI   0x10
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IIR_NONE 0x01
#define IIR_RLS  0x06
#define IIR_RDA  0x04
#define IIR_THRE 0x02

#define UART_CLOCK_HZ 3686400

static void uart_attach(void *dev, const struct dev_env *env)
{
    struct uart *u = dev;
    u->out = env->console;
    u->irq = env->irq;
}

/* Registers 0, FIFOs empty; the console and the line stay. */
static void uart_reset(void *dev)
{
    struct uart *u = dev;
    *u = (struct uart){ .out = u->out, .irq = u->irq };
}

unsigned uart_rx_room(const struct uart *u)
{
    return UART_FIFO - u->rx_count;
}

/* Interrupt identification, highest priority first. */
static uint8_t iir_id(const struct uart *u)
{
    if ((u->ier & IER_ELSI) && (u->overrun || u->brk))
        return IIR_RLS;
    if ((u->ier & IER_ERBFI) && u->rx_count)
        return IIR_RDA;
    if ((u->ier & IER_ETBEI) && u->thr_ipending)
        return IIR_THRE;
    return IIR_NONE;
}

static void update_irq(struct uart *u)
{
    irq_line_set(&u->irq, iir_id(u) != IIR_NONE);
}

void uart_receive(struct uart *u, uint8_t byte)
{
    if (u->rx_count == UART_FIFO) {
        u->overrun = true;
    } else {
        u->rx[(u->rx_head + u->rx_count) % UART_FIFO] = byte;
        u->rx_count++;
    }
    update_irq(u);
}

static uint8_t rx_pop(struct uart *u)
{
    if (!u->rx_count)
        return 0;
    uint8_t b = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % UART_FIFO;
    u->rx_count--;
    return b;
}

/* A break on the line, as QEMU's serial receives one: a zero byte with
 * LSR.BI (Linux's 8250 driver takes it for a magic SysRq). */
void uart_break(struct uart *u)
{
    uart_receive(u, 0);
    u->brk = true;
    update_irq(u);
}

static void transmit(struct uart *u, uint8_t b)
{
    if (u->mcr & MCR_LOOP) {
        uart_receive(u, b);
    } else if (u->out) {
        fputc(b, u->out);
        if (b == '\n')
            fflush(u->out);
    }
    u->thr_ipending = true;
}

static int uart_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    struct uart *u = dev;
    uint8_t id;
    (void)size;
    switch (off) {
    case 0: *val = (u->lcr & LCR_DLAB) ? u->dll : rx_pop(u); break;
    case 1: *val = (u->lcr & LCR_DLAB) ? u->dlm : u->ier; break;
    case 2:
        id = iir_id(u);
        *val = ((u->fcr & 1) ? 0xc0 : 0) | id;
        if (id == IIR_THRE)             /* reading IIR acknowledges THR empty */
            u->thr_ipending = false;
        break;
    case 3: *val = u->lcr; break;
    case 4: *val = u->mcr; break;
    case 5:
        *val = LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0) | (u->overrun ? LSR_OE : 0) |
               (u->brk ? LSR_BI : 0);
        u->overrun = u->brk = false;
        break;
    case 6: *val = (u->mcr & MCR_LOOP) ? 0 : 0xb0; break;     /* DCD, DSR, CTS */
    case 7: *val = u->scr; break;
    default: *val = 0;
    }
    update_irq(u);
    return 0;
}

static int uart_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct uart *u = dev;
    (void)size;
    val &= 0xff;
    switch (off) {
    case 0:
        if (u->lcr & LCR_DLAB)
            u->dll = val;
        else
            transmit(u, val);
        break;
    case 1:
        if (u->lcr & LCR_DLAB) {
            u->dlm = val;
        } else {
            /* Enabling ETBEI with THR empty raises the interrupt at once. */
            if ((val & IER_ETBEI) && !(u->ier & IER_ETBEI))
                u->thr_ipending = true;
            u->ier = val & 0x0f;
        }
        break;
    case 2:
        u->fcr = val & 0xc9;
        if (val & 2)
            u->rx_count = u->rx_head = 0;
        break;
    case 3: u->lcr = val; break;
    case 4: u->mcr = val & 0x1f; break;
    case 7: u->scr = val; break;
    }
    update_irq(u);
    return 0;
}

static const struct device_ops uart_ops = { uart_read, uart_write };

static void uart_save(const void *dev, struct state_out *o)
{
    const struct uart *u = dev;
    state_put_bytes(o, u->rx, UART_FIFO);
    state_put_u8(o, (uint8_t)u->rx_head);
    state_put_u8(o, (uint8_t)u->rx_count);
    state_put_u8(o, (uint8_t)(u->overrun | u->brk << 1));  /* bit 1: BI, zero in older streams */
    state_put_u8(o, u->thr_ipending);
    const uint8_t regs[7] = { u->ier, u->lcr, u->mcr, u->scr, u->dll, u->dlm, u->fcr };
    state_put_bytes(o, regs, sizeof regs);
}

static int uart_restore(void *dev, struct state_in *in)
{
    struct uart *u = dev;
    uint8_t regs[7];
    state_get_bytes(in, u->rx, UART_FIFO);
    u->rx_head = state_get_u8(in);
    u->rx_count = state_get_u8(in);
    uint8_t ls = state_get_u8(in);
    u->overrun = ls & 1;
    u->brk = ls >> 1 & 1;
    u->thr_ipending = state_get_bool(in);
    state_get_bytes(in, regs, sizeof regs);
    if (u->rx_head >= UART_FIFO || u->rx_count > UART_FIFO)
        return state_reject(in, "receive FIFO index out of range");
    u->ier = regs[0]; u->lcr = regs[1]; u->mcr = regs[2]; u->scr = regs[3];
    u->dll = regs[4]; u->dlm = regs[5]; u->fcr = regs[6];
    return 0;
}

static int uart_fdt(struct fdt_ctx *c, const struct dev_node *n)
{
    int r = fdt_dev_begin(c, n);
    if (r >= 0)
        r = fdt_property_u32(c->fdt, "clock-frequency", UART_CLOCK_HZ);
    return r < 0 ? r : fdt_dev_end(c);
}

const struct dev_class uart_class = {
    .name = "uart",
    .node = "serial",
    DEV_COMPAT("ns16550a"),
    .needs = DEV_NEEDS_IRQ | DEV_NEEDS_CONSOLE,
    .state_size = sizeof(struct uart),
    .ops = &uart_ops,
    .attach = uart_attach,
    .reset = uart_reset,
    .fdt_node = uart_fdt,
    .state_version = 1,
    .save = uart_save,
    .restore = uart_restore,
};
