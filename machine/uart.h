#ifndef MACHINE_UART_H
#define MACHINE_UART_H
#include <stdint.h>
#include <stdio.h>
struct device_ops;

/* ns16550a registers (only what output needs so far). */
struct uart {
    FILE *out;
    uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
};
extern const struct device_ops uart_ops;
void uart_reset(struct uart *u, FILE *out);
#endif
