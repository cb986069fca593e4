/*
 * QEMU's "key=value,key=value" option strings, as -drive, -smp, -m, -rtc,
 * -icount and -accel take them. A comma inside a value is written ",,".
 * A first item without '=' is the value of the option's implied key
 * (QEMU: "-smp 4" is cpus=4, "-m 256M" size=256M).
 */
#ifndef MACHINE_KEYVAL_H
#define MACHINE_KEYVAL_H
#include <stdbool.h>

struct kv {
    char key[32], val[256];
    bool has_val;               /* an '=' was there */
    bool overflow;              /* key or value cut short */
};

/* Split the next item off *s into kv; false at the end of the string. */
bool keyval_next(const char **s, struct kv *kv);
/* Split the next item; a first item without '=' (first set) becomes
 * implied=VALUE. Clears *first. */
bool keyval_next_implied(const char **s, struct kv *kv, const char *implied, bool *first);
/* QEMU's booleans: on/off, true/false, yes/no. 0, or -1 for anything else. */
int keyval_bool(const char *v, bool *out);
#endif
