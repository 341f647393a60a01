/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace side of dma-buf fixed buffers for io_uring. Until the kernel
 * headers carry the registration UAPI (io_uring patches of the series), the
 * call reports -EOPNOTSUPP so benchmarks print the row as unsupported.
 *
 * liburing's private copy of <linux/io_uring.h> uses the kernel header's
 * include guard, so once <liburing.h> is in, the kernel's UAPI macro is
 * hidden.  The series' helper header repeats the few definitions it needs;
 * pull it in when the macro is not visible yet and the header exists.
 */
#ifndef DIO_URING_H
#define DIO_URING_H

#include <errno.h>
#include <liburing.h>

#if !defined(IORING_RSRC_REGISTER_DMABUF) && defined(__has_include)
#if __has_include("dmabuf_io/io_uring_dmabuf.h")
#include "dmabuf_io/io_uring_dmabuf.h"	/* from the series' selftests */
#endif
#endif

#ifdef IORING_RSRC_REGISTER_DMABUF
#include "dmabuf_io/io_uring_dmabuf.h"	/* from the series' selftests */
static inline int dio_register_dmabufs(struct io_uring *ring, const int *fds,
				       unsigned int nr, int target_fd)
{
	return io_uring_register_dmabufs(ring, fds, nr, target_fd);
}
#else
static inline int dio_register_dmabufs(struct io_uring *ring, const int *fds,
				       unsigned int nr, int target_fd)
{
	(void)ring; (void)fds; (void)nr; (void)target_fd;
	errno = EOPNOTSUPP;
	return -EOPNOTSUPP;
}
#endif
#endif
