// SPDX-License-Identifier: GPL-2.0
/*
 * p2p_bench: the same reads from the pattern disk through io_uring
 * READ_FIXED into three dma-bufs:
 *   heap    system memory from the system heap (static exporter: the slot's
 *           mapping is pinned and never moves)
 *   sysdyn  system memory from /dev/test_dmabuf_p2p (DMABUF_P2P_SYSMEM): a
 *           dynamic exporter, whose slot maps the buffer without pinning it
 *           and has each bio hold the placement it was built on, to follow
 *           moves (none happen here): what a movable mapping costs over a
 *           static one
 *   p2p     PCI device memory (an NVMe controller memory buffer) from the
 *           same exporter: dynamic, peer-to-peer
 * For each: the cost of registering the buffer (register + unregister, ms),
 * MB/s and guest CPU ms of reading it full in 1 MiB requests, and IOPS and
 * guest CPU us per I/O of 4 KiB random reads at QD 32, medians of RUNS runs
 * (min-max).  After the runs, every byte of each buffer is checked against
 * the pattern by the CPU.
 *
 * usage: p2p_bench DISK [MIB]   -- "# JSON {...}" rows and KTAP
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include "dio_uring.h"	/* before liburing: the kernel's io_uring.h */
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "dio_util.h"
#include "pattern.h"
#include "../../../lib/test_dmabuf_p2p_uapi.h"

#define RUNS	5
#define REQ	(1u << 20)
#define QD	4
#define SMALL	4096
#define SMALL_QD	32
#define SMALL_NR	32768

enum { HEAP, SYSDYN, P2P, NKINDS };
static const char * const kind_id[] = { "heap", "sysdyn", "p2p" };
static const char * const kind_name[] = {
	"system heap (static attachment)",
	"system memory, dynamic exporter (movable mapping)",
	"NVMe CMB p2pmem (dynamic, peer-to-peer)"
};

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int p2p_alloc(int near, size_t len, unsigned int flags, char *provider)
{
	struct dmabuf_p2p_create c = {
		.near_fd = near, .flags = flags, .size = len, .chunk = 1u << 20
	};
	int dev = open("/dev/test_dmabuf_p2p", O_RDWR | O_CLOEXEC);
	int fd;

	if (dev < 0)
		return -1;
	fd = ioctl(dev, DMABUF_P2P_CREATE, &c);
	close(dev);
	if (fd >= 0)
		snprintf(provider, sizeof(c.provider), "%s", c.provider);
	return fd;
}

/* Register @buf for @disk and drop it again; times in ms. */
static int reg_once(int disk, int buf, double *reg, double *unreg)
{
	struct io_uring ring;
	double t0, t1;
	int ret;

	if (io_uring_queue_init(4, &ring, 0))
		return -1;
	t0 = dio_now_s();
	ret = dio_register_dmabufs(&ring, &buf, 1, disk);
	t1 = dio_now_s();
	if (!ret) {
		ret = io_uring_unregister_buffers(&ring);
		*unreg = (dio_now_s() - t1) * 1e3;
	}
	*reg = (t1 - t0) * 1e3;
	io_uring_queue_exit(&ring);
	return ret;
}

/* Read disk [0, len) into the buffer of slot 0; MB/s, CPU ms in *cpu. */
static double read_once(struct io_uring *ring, int disk, size_t len, double *cpu)
{
	unsigned int next = 0, done = 0, n = len / REQ;
	double t0 = dio_now_s(), c0 = dio_cpu_busy_s();

	while (done < n) {
		struct io_uring_cqe *cqe;

		while (next < n && next - done < QD) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			io_uring_prep_read_fixed(sqe, disk, (void *)(uintptr_t)((size_t)next * REQ),
						 REQ, (size_t)next * REQ, 0);
			next++;
		}
		if (io_uring_submit(ring) < 0 || io_uring_wait_cqe(ring, &cqe))
			return -1;
		if (cqe->res != (int)REQ) {
			fprintf(stderr, "read: %d\n", cqe->res);
			return -1;
		}
		io_uring_cqe_seen(ring, cqe);
		done++;
	}
	*cpu = (dio_cpu_busy_s() - c0) * 1e3;
	return len / 1e6 / (dio_now_s() - t0);
}

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * SMALL_NR random SMALL-byte reads of disk [0, len) at QD SMALL_QD, each
 * into the same offset of the buffer (so the pattern check still holds);
 * IOPS, guest CPU us per I/O in *cpu.
 */
static double small_once(struct io_uring *ring, int disk, size_t len, double *cpu)
{
	unsigned long long seed = 0x9e3779b97f4a7c15ULL;
	unsigned int sub = 0, done = 0;
	double t0 = dio_now_s(), c0 = dio_cpu_busy_s();

	while (done < SMALL_NR) {
		struct io_uring_cqe *cqe;

		while (sub < SMALL_NR && sub - done < SMALL_QD) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
			size_t pos = (rnd(&seed) % (len / SMALL)) * SMALL;

			io_uring_prep_read_fixed(sqe, disk, (void *)(uintptr_t)pos, SMALL,
						 pos, 0);
			sub++;
		}
		if (io_uring_submit_and_wait(ring, 1) < 0)
			return -1;
		while (!io_uring_peek_cqe(ring, &cqe)) {
			if (cqe->res != SMALL) {
				fprintf(stderr, "small read: %d\n", cqe->res);
				return -1;
			}
			io_uring_cqe_seen(ring, cqe);
			done++;
		}
	}
	*cpu = (dio_cpu_busy_s() - c0) * 1e6 / SMALL_NR;
	return SMALL_NR / (dio_now_s() - t0);
}

int main(int argc, char **argv)
{
	size_t len = (argc > 2 ? strtoul(argv[2], NULL, 0) : 16) << 20;
	double mbps[NKINDS][RUNS], cpu[NKINDS][RUNS], reg[NKINDS][RUNS], unreg[NKINDS][RUNS];
	double iops[NKINDS][RUNS], us[NKINDS][RUNS];
	struct io_uring ring[NKINDS];
	int disk, fd[NKINDS], k, r, t = 0, bad = 0, failed[NKINDS] = { 0 };
	char provider[32] = "", scratch[32];

	if (argc < 2) {
		fprintf(stderr, "usage: p2p_bench DISK [MIB]\n");
		return 2;
	}
	printf("TAP version 13\n1..%d\n", 2 * NKINDS);
	disk = open(argv[1], O_RDONLY | O_DIRECT | O_CLOEXEC);
	fd[HEAP] = dio_heap_alloc(len);
	fd[SYSDYN] = p2p_alloc(-1, len, DMABUF_P2P_SYSMEM, scratch);
	fd[P2P] = disk < 0 ? -1 : p2p_alloc(disk, len, 0, provider);
	if (disk < 0 || fd[HEAP] < 0 || fd[SYSDYN] < 0 || fd[P2P] < 0) {
		printf("# no disk, system heap, test exporter or p2pmem near the disk: %m\n");
		for (k = 1; k <= 2 * NKINDS; k++)
			printf("ok %d # SKIP\n", k);
		return 4;
	}
	printf("# %zu MiB from %s; p2pmem of %s; kinds interleaved in each run\n",
	       len >> 20, argv[1], provider);
	for (k = 0; k < NKINDS; k++) {
		for (r = 0; r < RUNS && !failed[k]; r++)
			failed[k] = !!reg_once(disk, fd[k], &reg[k][r], &unreg[k][r]);
		if (!failed[k])
			failed[k] = io_uring_queue_init(2 * SMALL_QD, &ring[k], 0) ? 1 :
				    dio_register_dmabufs(&ring[k], &fd[k], 1, disk) ? 2 : 0;
		if (failed[k] == 2)
			io_uring_queue_exit(&ring[k]);
	}
	/* run r of every kind before run r + 1 of any: drift hits all alike */
	for (r = 0; r < RUNS; r++) {
		for (k = 0; k < NKINDS; k++) {
			if (failed[k])
				continue;
			iops[k][r] = small_once(&ring[k], disk, len, &us[k][r]);
			mbps[k][r] = read_once(&ring[k], disk, len, &cpu[k][r]);
			if (mbps[k][r] < 0 || iops[k][r] < 0) {
				failed[k] = 3;
				io_uring_queue_exit(&ring[k]);
			}
		}
	}
	for (k = 0; k < NKINDS; k++) {
		long long first_bad;
		void *map;

		if (failed[k]) {
			printf("not ok %d %s: %s failed\n", ++t, kind_id[k],
			       failed[k] == 3 ? "read" : "registration");
			printf("not ok %d %s: data\n", ++t, kind_id[k]);
			bad++;
			continue;
		}
		io_uring_queue_exit(&ring[k]);
		qsort(mbps[k], RUNS, sizeof(double), cmp);
		qsort(cpu[k], RUNS, sizeof(double), cmp);
		qsort(iops[k], RUNS, sizeof(double), cmp);
		qsort(us[k], RUNS, sizeof(double), cmp);
		qsort(reg[k], RUNS, sizeof(double), cmp);
		qsort(unreg[k], RUNS, sizeof(double), cmp);
		printf("# JSON {\"p2p_bench\":\"read\",\"kind_id\":\"%s\",\"kind\":\"%s\","
		       "\"bytes\":%zu,\"runs\":%d,\"mbps_median\":%.1f,\"mbps_min\":%.1f,"
		       "\"mbps_max\":%.1f,\"cpu_ms_median\":%.1f,\"register_ms_median\":%.3f,"
		       "\"register_ms_min\":%.3f,\"register_ms_max\":%.3f,"
		       "\"unregister_ms_median\":%.3f,\"small_bytes\":%d,\"small_qd\":%d,"
		       "\"small_iops_median\":%.0f,\"small_iops_min\":%.0f,"
		       "\"small_iops_max\":%.0f,\"small_cpu_us_median\":%.2f}\n",
		       kind_id[k], kind_name[k], len, RUNS, mbps[k][RUNS / 2], mbps[k][0],
		       mbps[k][RUNS - 1], cpu[k][RUNS / 2], reg[k][RUNS / 2], reg[k][0],
		       reg[k][RUNS - 1], unreg[k][RUNS / 2], SMALL, SMALL_QD,
		       iops[k][RUNS / 2], iops[k][0], iops[k][RUNS - 1], us[k][RUNS / 2]);
		printf("ok %d %s: %.1f MB/s, %.0f IOPS, register %.3f ms\n", ++t, kind_id[k],
		       mbps[k][RUNS / 2], iops[k][RUNS / 2], reg[k][RUNS / 2]);

		/* the CPU reads back what the disk wrote */
		map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd[k], 0);
		first_bad = 0;
		if (map != MAP_FAILED) {
			struct dma_buf_sync s = { DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ };

			ioctl(fd[k], DMA_BUF_IOCTL_SYNC, &s);
			first_bad = dio_pattern_check(map, 0, len);
			s.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
			ioctl(fd[k], DMA_BUF_IOCTL_SYNC, &s);
		}
		printf("%s %d %s: data # first bad byte %lld\n", first_bad == -1 ? "ok" : "not ok",
		       ++t, kind_id[k], first_bad);
		bad += first_bad != -1;
		if (map != MAP_FAILED)
			munmap(map, len);
	}
	if (!bad) {
		printf("# device memory / system memory, median MB/s: %.2fx\n",
		       mbps[P2P][RUNS / 2] / mbps[HEAP][RUNS / 2]);
		printf("# movable / static system memory: register %.2fx, 4k IOPS %.2fx, "
		       "CPU per 4k I/O %.2fx\n", reg[SYSDYN][RUNS / 2] / reg[HEAP][RUNS / 2],
		       iops[SYSDYN][RUNS / 2] / iops[HEAP][RUNS / 2],
		       us[SYSDYN][RUNS / 2] / us[HEAP][RUNS / 2]);
	}
	return bad ? 1 : 0;
}
