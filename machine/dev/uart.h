#ifndef MACHINE_DEV_UART_H
#define MACHINE_DEV_UART_H
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "device.h"

#define UART_FIFO 16

/* ns16550a: receive FIFO, immediate transmission, interrupts via the PLIC. */
struct uart {
    FILE *out;                  /* the console, or NULL */
    struct irq_line irq;
    uint8_t rx[UART_FIFO];
    unsigned rx_head, rx_count;
    bool overrun;               /* LSR.OE until LSR is read */
    bool brk;                   /* LSR.BI until LSR is read */
    bool thr_ipending;          /* THR-empty interrupt waiting for IIR read / THR write */
    uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
};
extern const struct dev_class uart_class;
/* Room left in the receive FIFO. */
unsigned uart_rx_room(const struct uart *u);
/* A byte arrives from the console (dropped with LSR.OE if the FIFO is full). */
void uart_receive(struct uart *u, uint8_t byte);
/* A break condition arrives (C-a b on the console). */
void uart_break(struct uart *u);
#endif
