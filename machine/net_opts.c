/* Parsing and checking of -netdev, -nic, -device virtio-net-device and
 * -object filter-dump (see net_opts.h). */
#include "net_opts.h"
#include "keyval.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)
#define LOOPBACK 0x7f000001u

int net_parse_mac(const char *s, uint8_t mac[6])
{
    unsigned b[6];
    char tail;
    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6 ||
        strlen(s) != 17)
        return -1;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)b[i];
    return mac[0] & 1 ? -1 : 0;             /* a multicast address is no NIC's */
}

void net_default_mac(int k, uint8_t mac[6])
{
    static const uint8_t base[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    memcpy(mac, base, 6);
    mac[5] = (uint8_t)(base[5] + k);
}

static int parse_ip(const char *s, uint32_t *ip)
{
    struct in_addr a;
    if (!strcmp(s, "localhost")) {
        *ip = LOOPBACK;
        return 0;
    }
    if (inet_pton(AF_INET, s, &a) != 1)
        return -1;
    *ip = ntohl(a.s_addr);
    return 0;
}

static int parse_port(const char *s, uint16_t *port, bool zero_ok)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (end == s || *end || n < 0 || n > 65535 || (!zero_ok && n == 0))
        return -1;
    *port = (uint16_t)n;
    return 0;
}

/* [HOST]:PORT; an empty host is dflt. */
static int parse_host_port(const char *s, uint32_t dflt, uint32_t *ip, uint16_t *port)
{
    const char *colon = strrchr(s, ':');
    char host[64];
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    if (!host[0])
        *ip = dflt;
    else if (parse_ip(host, ip))
        return -1;
    return parse_port(colon + 1, port, false);
}

/* hostfwd=[tcp|udp]:[HOSTADDR]:HPORT-[GUESTADDR]:GPORT; NULL, or what is
 * wrong in QEMU's words */
static const char *parse_hostfwd(const char *v, struct hostfwd *f)
{
    const char *colon = strchr(v, ':'), *dash;
    char side[80];
    if (!colon)
        return "Bad protocol name";
    size_t pl = (size_t)(colon - v);
    if (pl == 3 && !strncmp(v, "udp", 3)) f->udp = true;
    else if (pl == 0 || (pl == 3 && !strncmp(v, "tcp", 3))) f->udp = false;
    else return "Bad protocol name";
    v = colon + 1;
    if (!strchr(v, ':'))
        return "Bad host address";
    if (!(dash = strchr(v, '-')) || (size_t)(dash - v) >= sizeof side)
        return "Bad host port separator";
    memcpy(side, v, (size_t)(dash - v));
    side[dash - v] = 0;
    if (parse_host_port(side, LOOPBACK, &f->host_ip, &f->host_port))
        return "Bad host address or port";
    if (!strchr(dash + 1, ':'))
        return "Missing guest address";
    if (parse_host_port(dash + 1, 0, &f->guest_ip, &f->guest_port))
        return "Bad guest address or port";
    return NULL;
}

/* guestfwd=[tcp]:[ADDR]:PORT-cmd:COMMAND (the chardev form is not taken) */
static int parse_guestfwd(const char *v, struct guestfwd *g, char *err, size_t errlen)
{
    if (!strncmp(v, "tcp:", 4))
        v += 4;
    else if (*v == ':')
        v++;
    const char *dash = strchr(v, '-');
    char side[80] = ":";
    if (!dash || (size_t)(dash - v) + 2 >= sizeof side)
        return ERR("-netdev user: guestfwd=%s: need tcp:[ADDR]:PORT-cmd:COMMAND", v);
    memcpy(side + 1, v, (size_t)(dash - v));
    side[dash - v + 1] = 0;
    /* "ADDR:PORT" arrives as ":ADDR:PORT": the last colon splits it */
    if (parse_host_port(side + (strchr(side + 1, ':') ? 1 : 0), 0, &g->ip, &g->port) || !g->ip)
        return ERR("-netdev user: guestfwd: need the guest-side ADDR:PORT (e.g. 10.0.2.100:1234)");
    if (strncmp(dash + 1, "cmd:", 4) || !dash[5])
        return ERR("-netdev user: guestfwd=...-%s: only the cmd:COMMAND form is supported "
                   "(no chardev forwarding)", dash + 1);
    snprintf(g->cmd, sizeof g->cmd, "%s", dash + 5);
    return 0;
}

/* net=ADDR[/MASK]: MASK as a prefix length or dotted */
static int parse_net(const char *v, uint32_t *net, uint32_t *mask)
{
    char a[64];
    const char *slash = strchr(v, '/');
    size_t n = slash ? (size_t)(slash - v) : strlen(v);
    if (n >= sizeof a)
        return -1;
    memcpy(a, v, n);
    a[n] = 0;
    if (parse_ip(a, net))
        return -1;
    *mask = 0xffffff00u;
    if (slash) {
        char *end;
        long bits = strtol(slash + 1, &end, 10);
        if (!*end && end != slash + 1) {
            if (bits < 8 || bits > 30)
                return -1;
            *mask = ~0u << (32 - bits);
        } else if (parse_ip(slash + 1, mask) || (~*mask & (~*mask + 1))) {
            return -1;
        }
    }
    *net &= *mask;
    return 0;
}

static int str_field(char *dst, size_t cap, const struct kv *kv, char *err, size_t errlen)
{
    if (strlen(kv->val) >= cap)
        return ERR("-netdev: %s= is too long", kv->key);
    strcpy(dst, kv->val);
    return 0;
}

static int onoff(const struct kv *kv, bool *b, char *err, size_t errlen)
{
    return keyval_bool(kv->val, b) ? ERR("-netdev: %s=%s: need on or off", kv->key, kv->val) : 0;
}

/* One property of -netdev user: 0 taken, 1 unknown, -1 bad. */
static int user_prop(struct netdev_opt *d, const struct kv *kv, bool *net_given, char *err,
                     size_t errlen)
{
    typeof(d->u.user) *u = &d->u.user;
    const char *k = kv->key, *v = kv->val;
    uint32_t *ip = !strcmp(k, "host") ? &u->host : !strcmp(k, "dhcpstart") ? &u->dhcp
                 : !strcmp(k, "dns") ? &u->dns : NULL;
    if (ip)
        return parse_ip(v, ip) ? ERR("-netdev user: %s=%s: not an IPv4 address", k, v) : 0;
    if (!strcmp(k, "net")) {
        *net_given = true;
        return parse_net(v, &u->net, &u->mask) ? ERR("-netdev user: net=%s: need ADDR[/MASK]", v) : 0;
    }
    if (!strcmp(k, "restrict")) return onoff(kv, &u->restrict_, err, errlen);
    if (!strcmp(k, "ipv4")) return onoff(kv, &u->ipv4, err, errlen);
    if (!strcmp(k, "ipv6")) return onoff(kv, &u->ipv6, err, errlen);
    if (!strcmp(k, "hostname")) return str_field(u->hostname, sizeof u->hostname, kv, err, errlen);
    if (!strcmp(k, "domainname")) return str_field(u->domain, sizeof u->domain, kv, err, errlen);
    if (!strcmp(k, "tftp")) return str_field(u->tftp, sizeof u->tftp, kv, err, errlen);
    if (!strcmp(k, "bootfile")) return str_field(u->bootfile, sizeof u->bootfile, kv, err, errlen);
    if (!strcmp(k, "hostfwd")) {
        if (u->nfwd == NET_MAX_FWDS)
            return ERR("-netdev user: at most %d hostfwd=", NET_MAX_FWDS);
        const char *why = parse_hostfwd(v, &u->fwd[u->nfwd]);
        if (why)
            return ERR("-netdev user: Invalid host forwarding rule '%s' (%s): need "
                       "tcp|udp:[HOSTADDR]:HPORT-[GUESTADDR]:GPORT", v, why);
        u->nfwd++;
        return 0;
    }
    if (!strcmp(k, "guestfwd")) {
        if (u->ngfwd == NET_MAX_FWDS)
            return ERR("-netdev user: at most %d guestfwd=", NET_MAX_FWDS);
        return parse_guestfwd(v, &u->gfwd[u->ngfwd++], err, errlen);
    }
    if (!strcmp(k, "smb"))
        return ERR("-netdev user: smb= is not supported (no Samba server is run)");
    return 1;
}

static void user_defaults(struct netdev_opt *d)
{
    typeof(d->u.user) *u = &d->u.user;
    u->net = 0x0a000200u;               /* 10.0.2.0/24 as QEMU */
    u->mask = 0xffffff00u;
    u->ipv4 = u->ipv6 = true;
}

/* host, dhcpstart and dns follow net= unless given, and must lie in it */
static int user_finish(struct netdev_opt *d, char *err, size_t errlen)
{
    typeof(d->u.user) *u = &d->u.user;
    if (!u->host) u->host = u->net | 2;
    if (!u->dhcp) u->dhcp = u->net | 15;
    if (!u->dns) u->dns = u->net | 3;
    const uint32_t *ips[] = { &u->host, &u->dhcp, &u->dns };
    const char *names[] = { "host", "dhcpstart", "dns" };
    for (int i = 0; i < 3; i++)
        if ((*ips[i] & u->mask) != u->net)
            return ERR("-netdev user: %s= is not in net=", names[i]);
    if (!u->ipv4 && !u->ipv6)
        return ERR("-netdev user: ipv4=off and ipv6=off leave no network");
    return 0;
}

/* An address of -netdev stream/dgram: PFX.type=inet|unix, PFX.host,
 * PFX.port, PFX.path. 0 taken, 1 not such a key, -1 bad. */
static int addr_prop(const char *pfx, struct net_addr *a, bool *given, const struct kv *kv,
                     char *err, size_t errlen)
{
    size_t n = strlen(pfx);
    if (strncmp(kv->key, pfx, n) || kv->key[n] != '.')
        return 1;
    const char *k = kv->key + n + 1, *v = kv->val;
    *given = true;
    if (!strcmp(k, "type")) {
        if (!strcmp(v, "unix")) a->unix_path = true;
        else if (strcmp(v, "inet")) return ERR("-netdev: %s=%s: need inet or unix", kv->key, v);
        return 0;
    }
    if (!strcmp(k, "host"))
        return parse_ip(v, &a->ip) ? ERR("-netdev: %s=%s: not an IPv4 address", kv->key, v) : 0;
    if (!strcmp(k, "port"))
        return parse_port(v, &a->port, false) ? ERR("-netdev: %s=%s: not a port", kv->key, v) : 0;
    if (!strcmp(k, "path")) {
        if (strlen(v) >= sizeof a->path || !v[0])
            return ERR("-netdev: %s: need a path of at most %zu bytes", kv->key, sizeof a->path - 1);
        strcpy(a->path, v);
        return 0;
    }
    return ERR("-netdev: unknown property '%s'", kv->key);
}

static int sock_check_addr(const struct net_addr *a, const char *what, char *err, size_t errlen)
{
    if (a->unix_path ? !a->path[0] : !a->port)
        return ERR("-netdev: %s needs %s", what, a->unix_path ? ".path=" : ".host= and .port=");
    return 0;
}

/* One property of the socket/stream/dgram types: 0, 1 unknown, -1 bad. */
static int sock_prop(struct netdev_opt *d, const struct kv *kv, int *modes, bool *server,
                     bool *server_given, bool *remote, char *err, size_t errlen)
{
    typeof(d->u.sock) *s = &d->u.sock;
    const char *k = kv->key, *v = kv->val;
    if (d->type == NETDEV_SOCKET) {
        static const char *const mk[] = { "listen", "connect", "mcast", "udp" };
        for (int i = 0; i < 4; i++)
            if (!strcmp(k, mk[i])) {
                s->mode = i;
                (*modes)++;
                uint32_t dflt = LOOPBACK;
                if (parse_host_port(v, dflt, &s->addr.ip, &s->addr.port))
                    return ERR("-netdev socket: %s=%s: need [HOST]:PORT", k, v);
                if (i == SOCK_MCAST && (s->addr.ip >> 28) != 0xe)
                    return ERR("-netdev socket: mcast=%s: not a multicast address", v);
                return 0;
            }
        if (!strcmp(k, "localaddr")) {
            s->have_local = true;
            int bad = strchr(v, ':') ? parse_host_port(v, LOOPBACK, &s->local.ip, &s->local.port)
                                     : parse_ip(v, &s->local.ip);
            if (bad)
                return ERR("-netdev socket: localaddr=%s: need ADDR or ADDR:PORT", v);
            return 0;
        }
        return 1;
    }
    if (d->type == NETDEV_STREAM) {
        if (!strcmp(k, "server")) {
            *server_given = true;
            return onoff(kv, server, err, errlen);
        }
        return addr_prop("addr", &s->addr, remote, kv, err, errlen);
    }
    int r = addr_prop("remote", &s->addr, remote, kv, err, errlen);
    return r != 1 ? r : addr_prop("local", &s->local, &s->have_local, kv, err, errlen);
}

static int sock_finish(struct netdev_opt *d, int modes, bool server, bool server_given,
                       bool remote, char *err, size_t errlen)
{
    typeof(d->u.sock) *s = &d->u.sock;
    switch (d->type) {
    case NETDEV_SOCKET:
        if (modes != 1)
            return ERR("-netdev socket: exactly one of listen=, connect=, mcast= or udp= is required");
        if (s->mode == SOCK_UDP && (!s->have_local || !s->local.port))
            return ERR("-netdev socket: udp= needs localaddr=HOST:PORT");
        return 0;
    case NETDEV_STREAM:
        if (!server_given)
            return ERR("-netdev stream: needs server=on or server=off");
        if (!remote)
            return ERR("-netdev stream: needs addr.type=inet,addr.host=,addr.port= or addr.type=unix,addr.path=");
        if (!s->addr.unix_path && !s->addr.ip)
            s->addr.ip = LOOPBACK;
        s->mode = server ? SOCK_LISTEN : SOCK_CONNECT;
        return sock_check_addr(&s->addr, "addr", err, errlen);
    default:                            /* dgram */
        if (!remote && !s->have_local)
            return ERR("-netdev dgram: needs remote.* (and local.*) addresses");
        if (remote && sock_check_addr(&s->addr, "remote", err, errlen))
            return -1;
        if (s->have_local && sock_check_addr(&s->local, "local", err, errlen))
            return -1;
        if (!s->local.unix_path && !s->local.ip)
            s->local.ip = LOOPBACK;
        if (!s->addr.unix_path && !s->addr.ip)
            s->addr.ip = LOOPBACK;
        if (remote && s->addr.unix_path != s->local.unix_path && s->have_local)
            return ERR("-netdev dgram: local and remote must both be inet or both unix");
        bool mcast = !s->addr.unix_path && (s->addr.ip >> 28) == 0xe;
        if (!remote || (!mcast && !s->have_local))
            return ERR("-netdev dgram: needs remote.* and, unless remote is multicast, local.*");
        s->mode = mcast ? SOCK_MCAST : SOCK_UDP;
        return 0;
    }
}

static int tap_prop(struct netdev_opt *d, const struct kv *kv, char *err, size_t errlen)
{
    if (!strcmp(kv->key, "ifname")) {
        if (strlen(kv->val) >= sizeof d->u.tap.ifname || !kv->val[0])
            return ERR("-netdev tap: ifname=%s: need a name of 1 to 15 characters", kv->val);
        strcpy(d->u.tap.ifname, kv->val);
        return 0;
    }
    if (!strcmp(kv->key, "script") || !strcmp(kv->key, "downscript")) {
        if (strcmp(kv->val, "no"))
            return ERR("-netdev tap: %s=%s: only %s=no is supported (configure the tap "
                       "interface beforehand)", kv->key, kv->val, kv->key);
        return 0;
    }
    return 1;
}

static const char *const type_names[] = { "user", "socket", "stream", "dgram", "tap" };

const char *net_type_name(enum netdev_type t)
{
    return type_names[t];
}

int net_find_netdev(const struct net_opts *o, const char *id)
{
    for (int k = 0; k < o->nnetdevs; k++)
        if (!strcmp(o->netdev[k].id, id))
            return k;
    return -1;
}

static int lookup_type(const char *name, enum netdev_type *t)
{
    for (int i = 0; i < (int)(sizeof type_names / sizeof type_names[0]); i++)
        if (!strcmp(name, type_names[i])) {
            *t = i;
            return 0;
        }
    return -1;
}

/* The netdev part of -netdev and -nic; -nic's own keys (model, mac) are
 * handed to nic when it is not NULL. */
static int parse_netdev(struct net_opts *o, const char *arg, struct nic_opt *nic, char *err,
                        size_t errlen)
{
    const char *opt = nic ? "-nic" : "-netdev";
    struct kv kv;
    if (o->nnetdevs >= NET_MAX_NETDEVS)
        return ERR("%s: at most %d network back ends", opt, NET_MAX_NETDEVS);
    struct netdev_opt *d = &o->netdev[o->nnetdevs];
    memset(d, 0, sizeof *d);
    if (!keyval_next(&arg, &kv) || kv.has_val || kv.overflow)
        return ERR("%s: needs a type first (user, socket, stream, dgram, tap)", opt);
    if (lookup_type(kv.key, &d->type)) {
        if (!strcmp(kv.key, "help")) return ERR("%s: available types: user socket stream dgram tap", opt);
        return ERR("%s: Parameter 'type' does not accept value '%s' (user, socket, stream, dgram, "
                   "tap; bridge, vde, l2tpv3 and vhost-user are not supported)", opt, kv.key);
    }
    const char *tname = type_names[d->type];
    if (d->type == NETDEV_USER)
        user_defaults(d);
    bool net_given = false, server = false, server_given = false, remote = false;
    int modes = 0;
    while (keyval_next(&arg, &kv)) {
        int r = 1;
        if (kv.overflow)
            return ERR("%s %s: '%s' is too long", opt, tname, kv.key);
        if (!kv.has_val)
            return ERR("%s %s: '%s' needs a value", opt, tname, kv.key);
        if (!strcmp(kv.key, "id")) {
            if (!kv.val[0] || strlen(kv.val) >= sizeof d->id)
                return ERR("%s: id=%s: need a name of 1 to %d characters", opt, kv.val, NET_ID_MAX - 1);
            strcpy(d->id, kv.val);
            continue;
        }
        if (nic && !strcmp(kv.key, "model")) {
            if (strcmp(kv.val, "virtio-net-device") && strcmp(kv.val, "virtio"))
                return ERR("-nic: model=%s: only virtio-net-device on this machine", kv.val);
            continue;
        }
        if (nic && !strcmp(kv.key, "mac")) {
            if (net_parse_mac(kv.val, nic->mac))
                return ERR("-nic: mac=%s: need a unicast address like 52:54:00:12:34:56", kv.val);
            nic->mac_given = true;
            continue;
        }
        switch (d->type) {
        case NETDEV_USER: r = user_prop(d, &kv, &net_given, err, errlen); break;
        case NETDEV_TAP: r = tap_prop(d, &kv, err, errlen); break;
        default: r = sock_prop(d, &kv, &modes, &server, &server_given, &remote, err, errlen); break;
        }
        if (r < 0)
            return -1;
        if (r)
            return ERR("%s %s: Invalid parameter '%s'", opt, tname, kv.key);
    }
    if (!d->id[0]) {
        if (!nic)
            return ERR("-netdev %s: Parameter 'id' is missing (id=NAME, for -device "
                       "virtio-net-device,netdev=NAME)", tname);
        snprintf(d->id, sizeof d->id, "__nic%d", o->nnics);
    }
    if (net_find_netdev(o, d->id) >= 0)
        return ERR("%s: Duplicate ID '%s' for netdev", opt, d->id);
    if (d->type == NETDEV_USER && user_finish(d, err, errlen))
        return -1;
    if ((d->type == NETDEV_SOCKET || d->type == NETDEV_STREAM || d->type == NETDEV_DGRAM) &&
        sock_finish(d, modes, server, server_given, remote, err, errlen))
        return -1;
    if (d->type == NETDEV_TAP && !d->u.tap.ifname[0])
        return ERR("%s tap: needs ifname=NAME (an interface made with ip tuntap add)", opt);
    o->nnetdevs++;
    return 0;
}

int net_parse_netdev(struct net_opts *o, const char *arg, char *err, size_t errlen)
{
    return parse_netdev(o, arg, NULL, err, errlen);
}

int net_parse_nic(struct net_opts *o, const char *arg, char *err, size_t errlen)
{
    if (!strcmp(arg, "none")) {
        o->nic_none = true;
        return 0;
    }
    if (o->nnics >= NET_MAX_NICS)
        return ERR("-nic: at most %d NICs", NET_MAX_NICS);
    struct nic_opt *n = &o->nic[o->nnics];
    memset(n, 0, sizeof *n);
    n->slot = -1;
    if (parse_netdev(o, arg, n, err, errlen))
        return -1;
    struct netdev_opt *d = &o->netdev[o->nnetdevs - 1];
    memcpy(n->netdev, d->id, sizeof n->netdev);     /* same size, NUL-terminated */
    o->nnics++;
    return 0;
}

int net_parse_device(struct net_opts *o, const char *arg, char *err, size_t errlen)
{
    struct kv kv;
    if (o->nnics >= NET_MAX_NICS)
        return ERR("-device: at most %d NICs", NET_MAX_NICS);
    struct nic_opt *n = &o->nic[o->nnics];
    memset(n, 0, sizeof *n);
    n->slot = -1;
    keyval_next(&arg, &kv);                 /* the driver name, checked by the caller */
    while (keyval_next(&arg, &kv)) {
        if (kv.overflow || !kv.has_val)
            return ERR("-device virtio-net-device: '%s' needs a value", kv.key);
        if (!strcmp(kv.key, "netdev")) {
            if (strlen(kv.val) >= sizeof n->netdev)
                return ERR("-device virtio-net-device: netdev=%s is too long", kv.val);
            strcpy(n->netdev, kv.val);
        } else if (!strcmp(kv.key, "mac")) {
            if (net_parse_mac(kv.val, n->mac))
                return ERR("-device virtio-net-device: mac=%s: need a unicast address like "
                           "52:54:00:12:34:56", kv.val);
            n->mac_given = true;
        } else if (!strcmp(kv.key, "bus")) {
            char *end;
            long s = strncmp(kv.val, "virtio-mmio-bus.", 16) ? -1 : strtol(kv.val + 16, &end, 10);
            if (s < 0 || s > 7 || end == kv.val + 16 || *end)
                return ERR("-device: bus=%s: need virtio-mmio-bus.0 to .7", kv.val);
            n->slot = (int)s;
        } else if (strcmp(kv.key, "id")) {
            return ERR("-device virtio-net-device: unknown property '%s'", kv.key);
        }
    }
    o->nnics++;                             /* without netdev=: a NIC with no peer, as QEMU's */
    return 0;
}

int net_parse_object(struct net_opts *o, const char *arg, char *err, size_t errlen)
{
    struct kv kv;
    if (!keyval_next(&arg, &kv) || kv.has_val || strcmp(kv.key, "filter-dump"))
        return ERR("-object: only filter-dump is supported");
    if (o->ndumps >= NET_MAX_DUMPS)
        return ERR("-object filter-dump: at most %d", NET_MAX_DUMPS);
    struct dump_opt *d = &o->dump[o->ndumps];
    memset(d, 0, sizeof *d);
    d->maxlen = 65536;
    while (keyval_next(&arg, &kv)) {
        if (kv.overflow || !kv.has_val)
            return ERR("-object filter-dump: '%s' needs a value", kv.key);
        if (!strcmp(kv.key, "netdev")) {
            if (strlen(kv.val) >= sizeof d->netdev)
                return ERR("-object filter-dump: netdev=%s is too long", kv.val);
            strcpy(d->netdev, kv.val);
        } else if (!strcmp(kv.key, "file")) {
            snprintf(d->file, sizeof d->file, "%s", kv.val);
        } else if (!strcmp(kv.key, "maxlen")) {
            char *end;
            unsigned long n = strtoul(kv.val, &end, 10);
            if (end == kv.val || *end || n == 0 || n > 65536)
                return ERR("-object filter-dump: maxlen=%s: need 1 to 65536", kv.val);
            d->maxlen = (uint32_t)n;
        } else if (strcmp(kv.key, "id") && strcmp(kv.key, "queue") && strcmp(kv.key, "position")) {
            return ERR("-object filter-dump: unknown property '%s'", kv.key);
        }
    }
    if (!d->netdev[0] || !d->file[0])
        return ERR("-object filter-dump: needs netdev=ID and file=FILE");
    o->ndumps++;
    return 0;
}

int net_check(struct net_opts *o, bool warn, char *err, size_t errlen)
{
    for (int k = 0; k < o->nnetdevs; k++)
        o->netdev[k].used = false;
    for (int i = 0; i < o->nnics; i++) {
        if (!o->nic[i].netdev[0])
            continue;
        int k = net_find_netdev(o, o->nic[i].netdev);
        if (k < 0)
            return ERR("-device virtio-net-device,netdev=%s: Property 'virtio-net-device.netdev' "
                       "can't find value '%s'", o->nic[i].netdev, o->nic[i].netdev);
        if (o->netdev[k].used)
            return ERR("-device virtio-net-device: netdev '%s' is already in use", o->nic[i].netdev);
        o->netdev[k].used = true;
    }
    for (int k = 0; k < o->nnetdevs; k++)
        if (warn && !o->netdev[k].used)
            fprintf(stderr, "hartvm: warning: netdev %s has no peer\n", o->netdev[k].id);
    return 0;
}
