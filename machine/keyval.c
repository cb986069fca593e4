/* QEMU-style "key=value,..." strings (keyval.h). */
#include "keyval.h"
#include <stdio.h>
#include <string.h>

static void put(char *buf, size_t cap, size_t *n, char c, bool *overflow)
{
    if (*n + 1 < cap)
        buf[(*n)++] = c;
    else
        *overflow = true;
}

bool keyval_next(const char **s, struct kv *kv)
{
    const char *p = *s;
    size_t k = 0, v = 0;
    if (!*p)
        return false;
    kv->has_val = kv->overflow = false;
    for (; *p; p++) {
        if (*p == ',' && !(kv->has_val && p[1] == ',')) {
            p++;
            break;
        }
        if (*p == ',')                  /* ",," inside a value: one comma */
            p++;
        else if (*p == '=' && !kv->has_val) {
            kv->has_val = true;
            continue;
        }
        if (kv->has_val)
            put(kv->val, sizeof kv->val, &v, *p, &kv->overflow);
        else
            put(kv->key, sizeof kv->key, &k, *p, &kv->overflow);
    }
    kv->key[k] = kv->val[v] = 0;
    *s = p;
    return true;
}

bool keyval_next_implied(const char **s, struct kv *kv, const char *implied, bool *first)
{
    bool was_first = *first;
    *first = false;
    if (!keyval_next(s, kv))
        return false;
    if (was_first && !kv->has_val) {
        snprintf(kv->val, sizeof kv->val, "%s", kv->key);
        snprintf(kv->key, sizeof kv->key, "%s", implied);
        kv->has_val = true;
    }
    return true;
}

int keyval_bool(const char *v, bool *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes"))
        *out = true;
    else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no"))
        *out = false;
    else
        return -1;
    return 0;
}
