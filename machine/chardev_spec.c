/* Parsing character device specs (chardev.h): QEMU's short forms and -chardev. */
#include "chardev.h"
#include <stdio.h>
#include <string.h>

/* on/off as QEMU's options take them; a bare key is on. */
static int parse_bool(const char *v, bool *out)
{
    if (!v || !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true"))
        *out = true;
    else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false"))
        *out = false;
    else
        return -1;
    return 0;
}

static int copy(char *dst, size_t size, const char *src, size_t len)
{
    if (len >= size)
        return -1;
    memcpy(dst, src, len);
    dst[len] = 0;
    return 0;
}

/* "[HOST]:PORT" of tcp: and telnet: */
static int host_port(const char *s, size_t len, struct chr_spec *o, char *why, size_t whylen)
{
    const char *colon = memchr(s, ':', len);
    if (!colon || colon + 1 == s + len ||
        copy(o->host, sizeof o->host, s, (size_t)(colon - s)) ||
        copy(o->port, sizeof o->port, colon + 1, (size_t)(s + len - colon - 1)) ||
        strspn(o->port, "0123456789") != strlen(o->port)) {
        snprintf(why, whylen, "need [HOST]:PORT with a numeric port");
        return -1;
    }
    return 0;
}

/* One "key[=value]" of a socket or -chardev list. */
static int socket_opt(struct chr_spec *o, const char *key, const char *v, char *why, size_t whylen)
{
    bool b, *flag = !strcmp(key, "server") ? &o->server : !strcmp(key, "wait") ? &o->wait
                  : !strcmp(key, "telnet") ? &o->telnet : !strcmp(key, "nodelay") ? &o->nodelay
                  : !strcmp(key, "mux") ? &o->mux : !strcmp(key, "signal") ? &o->signal : NULL;
    if (!strcmp(key, "nowait") && !v) {
        o->wait = false;
        return 0;
    }
    if (!flag) {
        snprintf(why, whylen, "unknown option '%s'", key);
        return -1;
    }
    if (parse_bool(v, &b)) {
        snprintf(why, whylen, "'%s' needs on or off", key);
        return -1;
    }
    *flag = b;
    return 0;
}

/* ",key[=value],..." into o; keys the caller handles (id=, path=...) go to
 * extra when given. */
static int opt_list(const char *s, struct chr_spec *o,
                    int (*extra)(struct chr_spec *, const char *, const char *, char *, size_t),
                    char *why, size_t whylen)
{
    while (*s == ',') {
        char item[CHR_PATH_LEN + 16], *v;
        size_t len = strcspn(++s, ",");
        if (copy(item, sizeof item, s, len)) {
            snprintf(why, whylen, "option too long");
            return -1;
        }
        s += len;
        if ((v = strchr(item, '=')))
            *v++ = 0;
        int r = extra ? extra(o, item, v, why, whylen) : 1;
        if (r > 0)
            r = socket_opt(o, item, v, why, whylen);
        if (r < 0)
            return -1;
    }
    return 0;
}

static void defaults(struct chr_spec *o, enum chr_backend be)
{
    memset(o, 0, sizeof *o);
    o->be = be;
    o->wait = true;             /* a server waits for its first client unless told not to */
    o->signal = true;
}

/* "unix:PATH[,opts]", "tcp:..." and "telnet:...": the socket forms. */
static int short_socket(const char *s, struct chr_spec *o, char *why, size_t whylen)
{
    bool is_unix = !strncmp(s, "unix:", 5), telnet = !strncmp(s, "telnet:", 7);
    const char *addr = s + (is_unix ? 5 : telnet ? 7 : 4);
    size_t len = strcspn(addr, ",");
    defaults(o, CHR_SOCKET);
    o->is_unix = is_unix;
    o->telnet = telnet;
    if (is_unix ? (len == 0 || copy(o->path, 108, addr, len)) : host_port(addr, len, o, why, whylen)) {
        if (is_unix)
            snprintf(why, whylen, "need a socket path of 1 to 107 bytes");
        return -1;
    }
    if (opt_list(addr + len, o, NULL, why, whylen))
        return -1;
    if (!o->server)
        o->wait = false;
    return 0;
}

int chr_parse_short(const char *s, struct chr_spec *o, char *why, size_t whylen)
{
    if (!strncmp(s, "mon:", 4)) {       /* multiplexed with the monitor */
        if (chr_parse_short(s + 4, o, why, whylen))
            return -1;
        if (o->be == CHR_REF || o->be == CHR_NONE) {
            snprintf(why, whylen, "mon: needs a device (mon:stdio, mon:tcp:...)");
            return -1;
        }
        o->mux = true;
        return 0;
    }
    static const struct { const char *name; enum chr_backend be; } plain[] = {
        { "null", CHR_NULL }, { "none", CHR_NONE }, { "stdio", CHR_STDIO }, { "pty", CHR_PTY },
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (!strcmp(s, plain[i].name)) {
            defaults(o, plain[i].be);
            return 0;
        }
    if (!strncmp(s, "file:", 5) || !strncmp(s, "chardev:", 8)) {
        bool file = s[0] == 'f';
        const char *arg = s + (file ? 5 : 8);
        defaults(o, file ? CHR_FILE : CHR_REF);
        if (!*arg || (file ? copy(o->path, sizeof o->path, arg, strlen(arg))
                           : copy(o->id, sizeof o->id, arg, strlen(arg)))) {
            snprintf(why, whylen, file ? "need file:PATH" : "need chardev:ID");
            return -1;
        }
        return 0;
    }
    if (!strncmp(s, "tcp:", 4) || !strncmp(s, "telnet:", 7) || !strncmp(s, "unix:", 5))
        return short_socket(s, o, why, whylen);
    snprintf(why, whylen, "not supported (stdio, mon:stdio, null, none, pty, file:PATH, "
             "tcp:[HOST]:PORT[,server,nowait], telnet:..., unix:PATH[,server,nowait], chardev:ID)");
    return -1;
}

/* -chardev's keys other than the socket flags. */
static int chardev_key(struct chr_spec *o, const char *key, const char *v, char *why, size_t whylen)
{
    char *dst = !strcmp(key, "id") ? o->id : !strcmp(key, "path") ? o->path
              : !strcmp(key, "host") ? o->host : !strcmp(key, "port") ? o->port : NULL;
    size_t size = dst == o->id ? sizeof o->id : dst == o->path ? sizeof o->path
                : dst == o->host ? sizeof o->host : sizeof o->port;
    if (!dst)
        return 1;
    if (!v || !*v || copy(dst, size, v, strlen(v))) {
        snprintf(why, whylen, "'%s' needs a value (at most %zu bytes)", key, size - 1);
        return -1;
    }
    if (dst == o->path)
        o->is_unix = true;
    return 0;
}

int chr_parse_opts(const char *s, struct chr_spec *o, char *why, size_t whylen)
{
    static const struct { const char *name; enum chr_backend be; } kinds[] = {
        { "null", CHR_NULL }, { "stdio", CHR_STDIO }, { "file", CHR_FILE }, { "pty", CHR_PTY },
        { "socket", CHR_SOCKET },
    };
    size_t len = strcspn(s, ",");
    size_t i = 0;
    while (i < sizeof kinds / sizeof kinds[0] && (strlen(kinds[i].name) != len ||
                                                  strncmp(s, kinds[i].name, len)))
        i++;
    if (i == sizeof kinds / sizeof kinds[0]) {
        snprintf(why, whylen, "backend '%.*s' not supported (null, stdio, file, pty, socket)",
                 (int)len, s);
        return -1;
    }
    defaults(o, kinds[i].be);
    o->wait = true;
    if (opt_list(s + len, o, chardev_key, why, whylen))
        return -1;
    if (!o->id[0]) {
        snprintf(why, whylen, "Parameter 'id' is missing");
        return -1;
    }
    if (o->be == CHR_FILE && !o->path[0]) {
        snprintf(why, whylen, "file needs path=PATH");
        return -1;
    }
    if (o->be == CHR_SOCKET) {
        if (o->is_unix == !!o->port[0] || (o->is_unix && strlen(o->path) > 107)) {
            snprintf(why, whylen, "socket needs path=PATH (at most 107 bytes) or port=PORT");
            return -1;
        }
        if (!o->is_unix && strspn(o->port, "0123456789") != strlen(o->port)) {
            snprintf(why, whylen, "port '%s' is not a number", o->port);
            return -1;
        }
        if (!o->server)
            o->wait = false;
    }
    return 0;
}

void chr_describe(const struct chr_spec *s, char *buf, size_t len)
{
    if (s->is_unix)
        snprintf(buf, len, "unix:%s%s", s->path, s->server ? ",server=on" : "");
    else
        snprintf(buf, len, "%s:%s:%s%s", s->telnet ? "telnet" : "tcp",
                 s->host[0] ? s->host : "127.0.0.1", s->port, s->server ? ",server=on" : "");
}
