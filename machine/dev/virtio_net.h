/*
 * virtio-net (virtio 1.2 §5.1), device id 1, on the shared virtio-mmio
 * transport (virtio/virtio.h).
 *
 * Queues: 0 receiveq  (device -> driver: frames from the back end)
 *         1 transmitq (driver -> device: frames to the back end)
 *         2 controlq  (driver -> device: receive mode and MAC filter)
 * Every frame is preceded by struct virtio_net_hdr (§5.1.6):
 *
 *   u8 flags  u8 gso_type  le16 hdr_len  le16 gso_size
 *   le16 csum_start  le16 csum_offset  [le16 num_buffers]
 *
 * num_buffers is there with VERSION_1 or MRG_RXBUF (12 bytes), not for a
 * legacy driver without MRG_RXBUF (10 bytes; §5.1.6.1 legacy interface).
 *
 * Configuration space (at virtio-mmio offset 0x100):
 *   0x00 u8 mac[6]     the NIC's address (writable by a legacy driver)
 *   0x06 le16 status   bit 0 LINK_UP
 *
 * Offered: MAC, STATUS, MRG_RXBUF, CSUM (the driver leaves TCP/UDP
 * checksums to us: we fill them before a frame leaves), GUEST_CSUM (frames
 * from a back end that checks its own, libslirp, arrive marked DATA_VALID),
 * CTRL_VQ, CTRL_RX, CTRL_RX_EXTRA, CTRL_MAC_ADDR. No GSO: every frame is
 * at most VNET_MAX_FRAME bytes.
 *
 * Receive never waits: a frame that finds no driver, no buffer or too
 * little buffer room is dropped and counted (the back ends' protocols
 * retransmit), and the receive filter (promiscuous, all-multicast, the
 * MAC tables) is applied as the control queue set it.
 */
#ifndef MACHINE_DEV_VIRTIO_NET_H
#define MACHINE_DEV_VIRTIO_NET_H
#include "../../virtio/virtio.h"
#include <stddef.h>

#define VIRTIO_ID_NET    1
#define VNET_QUEUE_SIZE  256
#define VNET_MAX_FRAME   65536          /* ethernet frame, without the virtio header */
#define VNET_MAC_TABLE   64             /* entries per MAC filter table (then: overflow) */

/* VIRTIO_NET_CTRL_RX commands (§5.1.6.5.1): the receive mode each sets */
enum { VNET_RX_PROMISC, VNET_RX_ALLMULTI, VNET_RX_ALLUNI, VNET_RX_NOMULTI, VNET_RX_NOUNI,
       VNET_RX_NOBCAST, VNET_RX_MODES };

struct vnet_stats {
    uint64_t rx_frames, rx_bytes, rx_dropped, rx_filtered;
    uint64_t tx_frames, tx_bytes, tx_errors;
};

struct vnet {
    struct virtio_dev vdev;
    uint8_t conf_mac[6];            /* mac= (or the default): what a reset gives back */
    uint8_t mac[6];
    bool link_up;
    /* receive mode (VIRTIO_NET_CTRL_RX), indexed by its command number;
     * promiscuous after reset as QEMU */
    bool rx_mode[VNET_RX_MODES];
    bool uni_overflow, multi_overflow;
    uint32_t n_uni, n_multi;
    uint8_t uni[VNET_MAC_TABLE][6], multi[VNET_MAC_TABLE][6];
    struct vnet_stats st;
    /* where transmitted frames go (the back end), and what it is */
    void (*tx)(void *ctx, const uint8_t *frame, size_t len);
    void *tx_ctx;
    uint8_t frame[VNET_MAX_FRAME + 16];
    uint16_t rx_heads[VNET_QUEUE_SIZE];
    uint32_t rx_lens[VNET_QUEUE_SIZE];
};

/* Set up the device (the board puts &n->vdev in a virtio-mmio slot). */
void vnet_init(struct vnet *n, const uint8_t mac[6], struct bus *bus, bool legacy,
               void (*set_irq)(void *, bool), void *irq_ctx);
/* Hand a frame from the back end to the guest; checked: DATA_VALID may be
 * set for it. 1 delivered, 0 dropped (counted), filtered included. */
int vnet_receive(struct vnet *n, const uint8_t *frame, size_t len, bool checked);
/* Has the guest posted receive buffers (could it take a frame now)? */
bool vnet_can_receive(struct vnet *n);
/* Link up or down (a configuration change interrupt when it changes). */
void vnet_set_link(struct vnet *n, bool up);
/* Is the driver running the device (DRIVER_OK, no NEEDS_RESET)? */
bool vnet_ready(const struct vnet *n);
#endif
