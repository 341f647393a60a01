// SPDX-License-Identifier: GPL-2.0
/*
 * make demo, step 1: load a "model file" (the first MiB MiB of $DIO_DISK, by
 * default /dev/nvme0n1, which holds the workbench's verifiable pattern) into
 * ONE system-heap dma-buf with io_uring READ_FIXED on a dma-buf slot
 * (ITER_DMABUF: the disk DMAs straight into the dma-buf, no page cache, no
 * pinning), printing a progress line, then verify every byte through the
 * dma-buf's mmap.
 *
 * usage: model_load [MiB]   (default 1024, at most 4095)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "pattern.h"
#include "dio_uring.h"
#include "dio_util.h"

#define CHUNK	(1UL << 20)
#define QD	32

static int fail(const char *what, int err)
{
	printf("# model_load: %s: %s\n", what, strerror(err));
	printf("not ok 1 model load through ITER_DMABUF\n");
	return 1;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
	size_t total = mib << 20, sub = 0, done = 0, next_note = 0;
	struct dma_heap_allocation_data d = { .fd_flags = O_RDWR | O_CLOEXEC };
	struct dma_buf_sync sync = { 0 };
	struct io_uring ring;
	unsigned int inflight = 0;
	double t0, t, c0, c;
	long long bad;
	int heap, disk, ret;
	void *map;

	/* line by line: the plan pipes the output (live progress in make demo) */
	setvbuf(stdout, NULL, _IOLBF, 0);

	printf("TAP version 13\n1..1\n");
	if (!mib || mib > 4095)
		return fail("size", EINVAL);
	disk = open(dio_disk(), O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (disk < 0)
		return fail(dio_disk(), errno);
	heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	d.len = total;
	if (heap < 0 || ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d))
		return fail("system heap allocation", errno);
	close(heap);
	if (io_uring_queue_init(2 * QD, &ring, 0))
		return fail("io_uring_queue_init", errno);

	t0 = dio_now_s();
	c0 = dio_cpu_busy_s();
	/* map the dma-buf once for the disk's DMA device */
	ret = dio_register_dmabufs(&ring, (int *)&d.fd, 1, disk);
	if (ret)
		return fail("registering the dma-buf (kernel without the series?)", -ret);
	printf("# model_load: %zu MiB system-heap dma-buf registered in %.1f ms\n", mib,
	       (dio_now_s() - t0) * 1e3);
	while (done < total) {
		struct io_uring_cqe *cqe;

		while (inflight < QD && sub < total) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			/* addr is the byte offset into the dma-buf of slot 0 */
			io_uring_prep_read_fixed(sqe, disk, (void *)sub, CHUNK, sub, 0);
			sub += CHUNK;
			inflight++;
		}
		io_uring_submit(&ring);
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret)
			return fail("io_uring_wait_cqe", -ret);
		if (cqe->res != (int)CHUNK)
			return fail("READ_FIXED", cqe->res < 0 ? -cqe->res : EIO);
		io_uring_cqe_seen(&ring, cqe);
		inflight--;
		done += CHUNK;
		if (done >= next_note || done == total) {
			t = dio_now_s() - t0;
			printf("# progress: %4zu / %zu MiB  %6.0f MB/s\n", done >> 20, mib,
			       done / 1e6 / t);
			fflush(stdout);
			next_note += total / 8;
		}
	}
	t = dio_now_s() - t0;
	c = dio_cpu_busy_s() - c0;
	io_uring_queue_exit(&ring);

	map = mmap(NULL, total, PROT_READ, MAP_SHARED, d.fd, 0);
	if (map == MAP_FAILED)
		return fail("mmap of the dma-buf", errno);
	sync.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ;
	ioctl(d.fd, DMA_BUF_IOCTL_SYNC, &sync);
	bad = dio_pattern_check(map, 0, total);
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
	ioctl(d.fd, DMA_BUF_IOCTL_SYNC, &sync);
	munmap(map, total);
	close(d.fd);
	close(disk);
	if (bad >= 0) {
		printf("# model_load: DATA MISMATCH at byte %lld\n", bad);
		printf("not ok 1 model load through ITER_DMABUF\n");
		return 1;
	}
	printf("# model_load: %zu MiB loaded in %.0f ms (%.0f MB/s, guest CPU %.0f ms), every byte verified\n",
	       mib, t * 1e3, total / 1e6 / t, c * 1e3);
	printf("# JSON {\"id\":\"model_load\",\"method\":\"model_load\",\"mib\":%zu,\"io_ms\":%.1f,\"mbps\":%.1f,\"cpu_ms\":%.1f}\n",
	       mib, t * 1e3, total / 1e6 / t, c * 1e3);
	printf("ok 1 model load through ITER_DMABUF\n");
	return 0;
}
