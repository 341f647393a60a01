/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace side of dma-buf registered buffers for the workbench programs:
 * the series' liburing-style helper (tools/testing/selftests/dmabuf_io/),
 * over the mainline UAPI (IORING_RSRC_UPDATE_EXTENDED + struct
 * io_uring_regbuf_desc).  A kernel without it refuses the registration with
 * -EINVAL, and the benchmarks print the row as unsupported.
 *
 * liburing's private copy of <linux/io_uring.h> uses the kernel header's
 * include guard: include this header (or <linux/io_uring.h>) before
 * <liburing.h>.
 */
#ifndef DIO_URING_H
#define DIO_URING_H

#include <linux/io_uring.h>
#include "dmabuf_io/io_uring_dmabuf.h"

static inline int dio_register_dmabufs(struct io_uring *ring, const int *fds,
				       unsigned int nr, int target_fd)
{
	return io_uring_register_dmabufs(ring, fds, nr, target_fd);
}
#endif
