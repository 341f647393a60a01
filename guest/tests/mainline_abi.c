// SPDX-License-Identifier: GPL-2.0
/*
 * A program written only against mainline Linux's (7.4) UAPI for dma-buf
 * registered buffers of io_uring, as an application or library built with
 * older headers would carry it: its own copies of the definitions below,
 * liburing 2.3 for everything else, no header of this project.  It must run
 * unchanged on a 6.12 kernel with the ITER_DMABUF series.
 *
 * usage: mainline_abi DEVICE    (an O_DIRECT block device taking premapped
 *                                I/O; [128 MiB, 144 MiB) of it is written)
 * Prints KTAP; exit status 0 when every test passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <liburing.h>

/* ---- mainline's definitions, copied from its public UAPI ---- */
struct mainline_rsrc_update2 {		/* struct io_uring_rsrc_update2 */
	__u32 offset;
	__u32 flags;			/* was "resv" */
	__aligned_u64 data;
	__aligned_u64 tags;
	__u32 nr;
	__u32 resv2;
};

enum io_uring_rsrc_reg_flags {
	IORING_RSRC_UPDATE_EXTENDED	= 1U << 1,
};

enum io_uring_regbuf_type {
	IO_REGBUF_TYPE_EMPTY		= 0,
	IO_REGBUF_TYPE_UADDR		= 1,
	IO_REGBUF_TYPE_DMABUF		= 2,
	__IO_REGBUF_TYPE_MAX,
};

struct io_uring_regbuf_desc {
	__u32 type;
	__u32 flags;
	__u64 size;
	__u64 uaddr;
	__s32 dmabuf_fd;
	__s32 target_fd;
	__u64 __resv[6];
};
/* ---- end of mainline's definitions ---- */

_Static_assert(sizeof(struct io_uring_regbuf_desc) == 80, "mainline layout");
_Static_assert(sizeof(struct mainline_rsrc_update2) == 32, "mainline layout");

#define MiB		(1024ULL * 1024)
#define BUF		(8 * MiB)
#define READ_POS	(128 * MiB)
#define WRITE_POS	(136 * MiB)

static int ntest, nfail;

static void result(int ok, const char *what)
{
	ntest++;
	nfail += !ok;
	printf("%sok %d %s\n", ok ? "" : "not ", ntest, what);
	fflush(stdout);
}

static uint64_t word(uint64_t off, uint64_t salt)
{
	uint64_t z = off * 0x9e3779b97f4a7c15ULL + salt;

	z ^= z >> 29;
	z *= 0xbf58476d1ce4e5b9ULL;
	return z ^ (z >> 32);
}

static void fill(void *p, uint64_t pos, size_t len, uint64_t salt)
{
	uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = word(pos + i * 8, salt);
}

static int check(const void *p, uint64_t pos, size_t len, uint64_t salt)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != word(pos + i * 8, salt))
			return 0;
	return 1;
}

static int update(struct io_uring *ring, unsigned int slot,
		  const struct io_uring_regbuf_desc *d, unsigned int nr)
{
	struct mainline_rsrc_update2 up = {
		.offset = slot,
		.flags = IORING_RSRC_UPDATE_EXTENDED,
		.data = (uintptr_t)d,
		.nr = nr,
	};
	int ret = syscall(__NR_io_uring_register, ring->ring_fd,
			  IORING_REGISTER_BUFFERS_UPDATE, &up, sizeof(up));

	return ret < 0 ? -errno : ret;
}

/* Run READ_FIXED/WRITE_FIXED of BUF bytes in 1 MiB requests; 0 or the bad res. */
static int rw_fixed(struct io_uring *ring, int fd, int write, uint64_t addr,
		    uint64_t pos, int slot)
{
	struct io_uring_cqe *cqe;
	int i, bad = 0;

	for (i = 0; i < (int)(BUF / MiB); i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
		void *a = (void *)(uintptr_t)(addr + i * MiB);

		if (write)
			io_uring_prep_write_fixed(sqe, fd, a, MiB, pos + i * MiB, slot);
		else
			io_uring_prep_read_fixed(sqe, fd, a, MiB, pos + i * MiB, slot);
	}
	if (io_uring_submit(ring) != (int)(BUF / MiB))
		return -EIO;
	for (i = 0; i < (int)(BUF / MiB); i++) {
		if (io_uring_wait_cqe(ring, &cqe))
			return -EIO;
		if (cqe->res != (int)MiB && !bad)
			bad = cqe->res ? cqe->res : -EIO;
		io_uring_cqe_seen(ring, cqe);
	}
	return bad;
}

static int one_read(struct io_uring *ring, int fd, uint64_t addr, int slot)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int res;

	io_uring_prep_read_fixed(sqe, fd, (void *)(uintptr_t)addr, 4096, READ_POS, slot);
	io_uring_submit(ring);
	if (io_uring_wait_cqe(ring, &cqe))
		return -EIO;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

static int cpu_sync(int fd, __u64 flags)
{
	struct dma_buf_sync s = { .flags = flags };

	return ioctl(fd, DMA_BUF_IOCTL_SYNC, &s);
}

int main(int argc, char **argv)
{
	struct dma_heap_allocation_data a = { .len = BUF, .fd_flags = O_RDWR | O_CLOEXEC };
	struct io_uring_regbuf_desc d[3];
	struct io_uring_rsrc_register rr;
	struct io_uring ring;
	void *user, *map;
	int dev, heap, ret;

	printf("TAP version 13\n1..9\n");
	if (argc != 2) {
		fprintf(stderr, "usage: %s DEVICE\n", argv[0]);
		return 2;
	}
	dev = open(argv[1], O_RDWR | O_DIRECT | O_CLOEXEC);
	heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	if (dev < 0 || heap < 0 || ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a) ||
	    posix_memalign(&user, 4096, BUF) || io_uring_queue_init(16, &ring, 0)) {
		printf("Bail out! setup: %s\n", strerror(errno));
		return 1;
	}
	map = mmap(NULL, BUF, PROT_READ | PROT_WRITE, MAP_SHARED, a.fd, 0);
	if (map == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return 1;
	}

	/* reference data, written the ordinary way */
	fill(user, READ_POS, BUF, 1);
	result(pwrite(dev, user, BUF, READ_POS) == (ssize_t)BUF,
	       "reference data written with O_DIRECT from user memory");

	/* sparse table; slot 0 a dma-buf, slot 1 user memory, slot 2 empty */
	ret = io_uring_register_buffers_sparse(&ring, 3);
	memset(d, 0, sizeof(d));
	d[0].type = IO_REGBUF_TYPE_DMABUF;
	d[0].dmabuf_fd = a.fd;
	d[0].target_fd = dev;
	d[1].type = IO_REGBUF_TYPE_UADDR;
	d[1].uaddr = (uintptr_t)user;
	d[1].size = BUF;
	d[2].type = IO_REGBUF_TYPE_EMPTY;
	if (!ret)
		ret = update(&ring, 0, d, 3);
	result(ret == 3, "extended update fills dma-buf, user and empty slots");
	if (ret != 3)
		printf("# update: %d\n", ret);

	ret = rw_fixed(&ring, dev, 0, 0, READ_POS, 0);
	cpu_sync(a.fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
	result(!ret && check(map, READ_POS, BUF, 1),
	       "READ_FIXED into the dma-buf slot, byte-exact");
	fill(map, WRITE_POS, BUF, 2);
	cpu_sync(a.fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);

	ret = rw_fixed(&ring, dev, 1, 0, WRITE_POS, 0);
	memset(user, 0, BUF);
	result(!ret && pread(dev, user, BUF, WRITE_POS) == (ssize_t)BUF &&
	       check(user, WRITE_POS, BUF, 2),
	       "WRITE_FIXED from the dma-buf slot, read back with O_DIRECT");

	memset(user, 0, BUF);
	ret = rw_fixed(&ring, dev, 0, (uintptr_t)user, READ_POS, 1);
	result(!ret && check(user, READ_POS, BUF, 1),
	       "READ_FIXED into the UADDR slot, byte-exact");

	result(one_read(&ring, dev, 0, 2) == -EFAULT, "the EMPTY slot is empty");

	/* the pre-mainline flag of this series' first versions is gone */
	memset(&rr, 0, sizeof(rr));
	rr.nr = 1;
	rr.flags = 1U << 1;
	rr.data = (uintptr_t)d;
	ret = syscall(__NR_io_uring_register, ring.ring_fd,
		      IORING_REGISTER_BUFFERS2, &rr, sizeof(rr));
	result(ret == -1 && errno == EINVAL, "flag 1 << 1 in rsrc_register: -EINVAL");

	memset(d, 0, sizeof(d));
	ret = update(&ring, 0, d, 1);
	result(ret == 1 && one_read(&ring, dev, 0, 0) == -EFAULT,
	       "an EMPTY descriptor clears the dma-buf slot");

	result(io_uring_unregister_buffers(&ring) == 0, "unregister");
	io_uring_queue_exit(&ring);
	munmap(map, BUF);
	close(a.fd);
	printf("# %d passed, %d failed\n", ntest - nfail, nfail);
	return nfail ? 1 : 0;
}
