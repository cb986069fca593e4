/* Interrupt lines (device.h): the virtio transport's callback shape. */
#include "device.h"

void irq_line_drive(void *line, bool level)
{
    irq_line_set(line, level);
}
