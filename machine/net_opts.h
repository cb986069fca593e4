/*
 * Network options with QEMU 7.2's syntax, parsed and checked on the
 * command line (net_opts.c) and opened by the machine (net.c):
 *
 *   -netdev user,id=ID[,net=ADDR[/MASK]][,host=ADDR][,dhcpstart=ADDR][,dns=ADDR]
 *           [,restrict=on|off][,ipv4=on|off][,ipv6=on|off][,hostname=NAME]
 *           [,domainname=NAME][,tftp=DIR][,bootfile=FILE]
 *           [,hostfwd=tcp|udp:[HOSTADDR]:HPORT-[GUESTADDR]:GPORT]...
 *           [,guestfwd=tcp:[ADDR]:PORT-cmd:COMMAND]...
 *   -netdev socket,id=ID,listen=[HOST]:PORT | connect=[HOST]:PORT
 *           | mcast=MADDR:PORT[,localaddr=ADDR] | udp=HOST:PORT,localaddr=HOST:PORT
 *   -netdev stream,id=ID,server=on|off,addr.type=inet,addr.host=H,addr.port=P
 *           | ...,addr.type=unix,addr.path=PATH
 *   -netdev dgram,id=ID,remote.type=inet,remote.host=H,remote.port=P
 *           [,local.type=inet,local.host=H,local.port=P] (or .type=unix,.path=)
 *   -netdev tap,id=ID,ifname=NAME,script=no,downscript=no
 *   -device virtio-net-device,netdev=ID[,mac=MAC][,bus=virtio-mmio-bus.N]
 *   -nic TYPE[,model=virtio-net-device][,mac=MAC][,netdev options] | -nic none
 *   -object filter-dump,id=ID,netdev=ID,file=FILE[,maxlen=BYTES]
 *
 * Where QEMU binds every interface for an empty host (listen=:PORT,
 * hostfwd=tcp::PORT-:22), we bind 127.0.0.1: nothing is reachable from
 * other machines unless an address says so.
 */
#ifndef MACHINE_NET_OPTS_H
#define MACHINE_NET_OPTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_MAX_NETDEVS 8
#define NET_MAX_NICS    8
#define NET_MAX_FWDS    8
#define NET_MAX_DUMPS   4
#define NET_ID_MAX      64
#define NET_STR_MAX     256

enum netdev_type { NETDEV_USER, NETDEV_SOCKET, NETDEV_STREAM, NETDEV_DGRAM, NETDEV_TAP };

/* An IPv4 address and port, host byte order; path for a UNIX socket. */
struct net_addr {
    uint32_t ip;
    uint16_t port;
    bool unix_path;             /* path[] names a UNIX socket */
    char path[108];
};

struct hostfwd {
    bool udp;
    uint32_t host_ip, guest_ip;     /* guest_ip 0: the DHCP address */
    uint16_t host_port, guest_port;
};
struct guestfwd {
    uint32_t ip;
    uint16_t port;
    char cmd[NET_STR_MAX];
};

struct netdev_opt {
    char id[NET_ID_MAX];
    enum netdev_type type;
    bool used;                  /* claimed by a NIC */
    union {
        struct {
            uint32_t net, mask, host, dhcp, dns;
            bool restrict_, ipv4, ipv6;
            char hostname[NET_STR_MAX], domain[NET_STR_MAX];
            char tftp[NET_STR_MAX], bootfile[NET_STR_MAX];
            struct hostfwd fwd[NET_MAX_FWDS];
            int nfwd;
            struct guestfwd gfwd[NET_MAX_FWDS];
            int ngfwd;
        } user;
        struct {                /* socket, stream, dgram */
            enum { SOCK_LISTEN, SOCK_CONNECT, SOCK_MCAST, SOCK_UDP } mode;
            struct net_addr addr;       /* listen/connect/mcast address, dgram's remote */
            struct net_addr local;      /* localaddr=, dgram's local */
            bool have_local;
        } sock;
        struct {
            char ifname[16];
        } tap;
    } u;
};

struct nic_opt {
    char netdev[NET_ID_MAX];
    uint8_t mac[6];
    bool mac_given;
    int slot;                   /* -1: highest free */
};

struct dump_opt {
    char netdev[NET_ID_MAX];
    char file[NET_STR_MAX];
    uint32_t maxlen;
};

struct net_opts {
    struct netdev_opt netdev[NET_MAX_NETDEVS];
    int nnetdevs;
    struct nic_opt nic[NET_MAX_NICS];
    int nnics;
    struct dump_opt dump[NET_MAX_DUMPS];
    int ndumps;
    bool nic_none;              /* -nic none */
};

/* Each parses one option's value into o: 0, or -1 with a message in err. */
int net_parse_netdev(struct net_opts *o, const char *arg, char *err, size_t errlen);
int net_parse_nic(struct net_opts *o, const char *arg, char *err, size_t errlen);
/* -device virtio-net-device,... (arg is the whole -device value) */
int net_parse_device(struct net_opts *o, const char *arg, char *err, size_t errlen);
/* -object filter-dump,... (the whole -object value) */
int net_parse_object(struct net_opts *o, const char *arg, char *err, size_t errlen);
/* Every NIC names a -netdev (marked used): 0, or -1. warn: say which
 * netdevs have no NIC. */
int net_check(struct net_opts *o, bool warn, char *err, size_t errlen);
/* The index of the -netdev with that id, or -1. */
int net_find_netdev(const struct net_opts *o, const char *id);
/* "user", "socket", ...: the type as -netdev names it. */
const char *net_type_name(enum netdev_type t);
/* The MAC of the k-th NIC without mac=: QEMU's 52:54:00:12:34:56 + k. */
void net_default_mac(int k, uint8_t mac[6]);
/* "52:54:00:12:34:56" into mac: 0, or -1. */
int net_parse_mac(const char *s, uint8_t mac[6]);
#endif
