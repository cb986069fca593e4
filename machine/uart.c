/*
 * ns16550a UART at 0x1000_0000, registers one byte apart.
 *
 *   0 RBR/THR (DLL when LCR.DLAB)   4 MCR
 *   1 IER     (DLM when LCR.DLAB)   5 LSR   bit 5 THRE, bit 6 TEMT, bit 0 DR
 *   2 IIR/FCR                       6 MSR
 *   3 LCR     bit 7 DLAB            7 SCR
 *
 * Transmission is immediate, so THR is always empty.
 */
#include "uart.h"
#include "../mmu/bus.h"

#define LCR_DLAB 0x80
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

void uart_reset(struct uart *u, FILE *out)
{
    *u = (struct uart){ .out = out };
}

static int uart_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    struct uart *u = dev;
    (void)size;
    switch (off) {
    case 0: *val = (u->lcr & LCR_DLAB) ? u->dll : 0; break;
    case 1: *val = (u->lcr & LCR_DLAB) ? u->dlm : u->ier; break;
    case 2: *val = ((u->fcr & 1) ? 0xc0 : 0) | 0x01; break;     /* no interrupt pending */
    case 3: *val = u->lcr; break;
    case 4: *val = u->mcr; break;
    case 5: *val = LSR_THRE | LSR_TEMT; break;
    case 6: *val = 0xb0; break;                                 /* DCD, DSR, CTS */
    case 7: *val = u->scr; break;
    default: *val = 0;
    }
    return 0;
}

static int uart_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct uart *u = dev;
    (void)size;
    val &= 0xff;
    switch (off) {
    case 0:
        if (u->lcr & LCR_DLAB) {
            u->dll = val;
        } else if (u->out) {
            fputc((int)val, u->out);
            if (val == '\n')
                fflush(u->out);
        }
        break;
    case 1:
        if (u->lcr & LCR_DLAB) u->dlm = val; else u->ier = val & 0x0f;
        break;
    case 2: u->fcr = val; break;
    case 3: u->lcr = val; break;
    case 4: u->mcr = val & 0x1f; break;
    case 7: u->scr = val; break;
    }
    return 0;
}

const struct device_ops uart_ops = { uart_read, uart_write };
