// SPDX-License-Identifier: GPL-2.0
/*
 * Random-read IOPS and sequential throughput through io_uring on one block
 * device, for three buffer kinds: plain O_DIRECT reads into user memory
 * (IORING_OP_READ), fixed user buffers (READ_FIXED) and dma-buf fixed
 * buffers (READ_FIXED through ITER_DMABUF).  Each figure is the median of
 * RUNS runs with min and max; guest CPU time per I/O comes from /proc/stat.
 * Last, the cost of registering (and unregistering) one 32 MiB and one 1 GiB
 * buffer of each fixed kind with the ring.
 *
 * usage: iops DEVICE   -- prints "# JSON {...}" lines and KTAP
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
#include <time.h>
#include <unistd.h>
#include <linux/dma-heap.h>
#include <linux/fs.h>

#include "dio_util.h"


#define RUNS 5
#define BUFSZ (4UL << 20)	/* per in-flight slot region */

enum kind { PLAIN, FIXED_USER, FIXED_DMABUF };
/* Row labels, and the stable keys of the JSON rows (bench_report.py). */
static const char * const kind_name[] = {
	"O_DIRECT read", "fixed user buffer", "fixed dma-buf (ITER_DMABUF)"
};
static const char * const kind_id[] = { "odirect", "fixed_user", "fixed_dmabuf" };

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One run: @nr I/Os of @bs bytes at QD @qd; returns IOPS, CPU s in *cpu. */
static double run(int fd, unsigned long long size, enum kind k, unsigned int bs,
		  unsigned int qd, int random, unsigned int nr, void *mem, double *cpu)
{
	struct io_uring ring;
	unsigned long long seed = 0x9e3779b97f4a7c15ULL, off = 0;
	unsigned int sub = 0, done = 0, inflight = 0;
	double t0, c0;
	int dmabuf = -1;

	if (io_uring_queue_init(qd * 2, &ring, 0))
		return -1;
	if (k == FIXED_USER) {
		struct iovec iov = { mem, BUFSZ };

		if (io_uring_register_buffers(&ring, &iov, 1)) {
			io_uring_queue_exit(&ring);
			return -1;
		}
	} else if (k == FIXED_DMABUF) {
		dmabuf = dio_heap_alloc(BUFSZ);
		if (dmabuf < 0) {
			io_uring_queue_exit(&ring);
			return -1;
		}
		if (dio_register_dmabufs(&ring, &dmabuf, 1, fd)) {
			io_uring_queue_exit(&ring);
			close(dmabuf);
			return -2;
		}
	}
	c0 = dio_cpu_busy_s();
	t0 = dio_now_s();
	while (done < nr) {
		while (sub < nr && inflight < qd) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			unsigned long long pos;
			size_t slot = (sub % (BUFSZ / bs)) * bs;

			if (random)
				pos = (rnd(&seed) % (size / bs)) * bs;
			else
				pos = off, off = (off + bs) % (size - size % bs);
			if (k == PLAIN)
				io_uring_prep_read(sqe, fd, (char *)mem + slot, bs, pos);
			else if (k == FIXED_USER)
				io_uring_prep_read_fixed(sqe, fd, (char *)mem + slot, bs, pos, 0);
			else
				io_uring_prep_read_fixed(sqe, fd, (void *)slot, bs, pos, 0);
			sub++;
			inflight++;
		}
		io_uring_submit_and_wait(&ring, 1);
		for (;;) {
			struct io_uring_cqe *cqe;

			if (io_uring_peek_cqe(&ring, &cqe))
				break;
			if (cqe->res != (int)bs) {
				fprintf(stderr, "%s: I/O returned %d\n", kind_name[k], cqe->res);
				nr = 0;
			}
			io_uring_cqe_seen(&ring, cqe);
			inflight--;
			done++;
		}
		if (!nr)
			break;
	}
	*cpu = dio_cpu_busy_s() - c0;
	t0 = dio_now_s() - t0;
	io_uring_queue_exit(&ring);
	if (dmabuf >= 0)
		close(dmabuf);
	return nr ? done / t0 : -1;
}

/*
 * Register one buffer of @len bytes (a system-heap dma-buf, or populated
 * anonymous memory for a fixed user buffer), then unregister it; times in ms.
 * The unmap of a dma-buf slot is deferred to a workqueue, so "unregister"
 * is what the caller waits for, not the whole teardown.  Returns 0, -1 on
 * error or -2 if dma-buf slots are not supported.
 */
static int reg_once(int fd, size_t len, enum kind k, double *reg, double *unreg)
{
	struct io_uring ring;
	void *mem = MAP_FAILED;
	int dmabuf = -1, ret;
	double t0;

	if (io_uring_queue_init(8, &ring, 0))
		return -1;
	if (k == FIXED_USER) {
		mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		ret = mem == MAP_FAILED ? -1 : 0;
	} else {
		dmabuf = dio_heap_alloc(len);
		ret = dmabuf < 0 ? -1 : 0;
	}
	if (!ret) {
		struct iovec iov = { mem, len };

		t0 = dio_now_s();
		if (k == FIXED_USER)
			ret = io_uring_register_buffers(&ring, &iov, 1) ? -1 : 0;
		else
			ret = dio_register_dmabufs(&ring, &dmabuf, 1, fd);
		*reg = (dio_now_s() - t0) * 1e3;
		if (ret == -EOPNOTSUPP || ret == -EINVAL)
			ret = -2;
		else if (ret)
			ret = -1;
	}
	if (!ret) {
		t0 = dio_now_s();
		ret = io_uring_unregister_buffers(&ring) ? -1 : 0;
		*unreg = (dio_now_s() - t0) * 1e3;
	}
	io_uring_queue_exit(&ring);
	if (dmabuf >= 0)
		close(dmabuf);
	if (mem != MAP_FAILED)
		munmap(mem, len);
	return ret;
}

static int reg_cost(int fd, unsigned int *n)
{
	static const struct { size_t len; const char *name; } sizes[] = {
		{ 32UL << 20, "register-32m" }, { 1UL << 30, "register-1g" },
	};
	unsigned int s;
	int k, fails = 0;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (k = FIXED_USER; k <= FIXED_DMABUF; k++) {
			double reg[RUNS], unreg[RUNS];
			int r, ret = 0;

			for (r = 0; r < RUNS && !ret; r++)
				ret = reg_once(fd, sizes[s].len, k, &reg[r], &unreg[r]);
			++*n;
			if (ret) {
				printf("%sok %u %s %s%s\n", ret == -2 ? "" : "not ", *n,
				       sizes[s].name, kind_name[k],
				       ret == -2 ? " # SKIP not supported" : "");
				fails += ret != -2;
				continue;
			}
			qsort(reg, RUNS, sizeof(double), cmp);
			qsort(unreg, RUNS, sizeof(double), cmp);
			printf("# JSON {\"test\":\"%s\",\"kind_id\":\"%s\",\"kind\":\"%s\","
			       "\"register_ms_median\":%.2f,"
			       "\"register_ms_min\":%.2f,\"register_ms_max\":%.2f,"
			       "\"unregister_ms_median\":%.2f}\n", sizes[s].name, kind_id[k], kind_name[k],
			       reg[RUNS / 2], reg[0], reg[RUNS - 1], unreg[RUNS / 2]);
			printf("ok %u %s %s\n", *n, sizes[s].name, kind_name[k]);
		}
	}
	return fails;
}

int main(int argc, char **argv)
{
	static const struct { unsigned int bs, qd, random, nr; const char *name; } tests[] = {
		{ 4096, 1, 1, 4000, "4k-randread-qd1" },
		{ 4096, 32, 1, 20000, "4k-randread-qd32" },
		{ 128 << 10, 8, 0, 2000, "128k-seqread-qd8" },
		{ 1 << 20, 4, 0, 400, "1m-seqread-qd4" },
	};
	unsigned long long size;
	unsigned int t, n = 0;
	int fd, k, fails = 0;
	void *mem;

	/* line by line: the plan pipes the output (live progress in make demo) */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc < 2)
		return fprintf(stderr, "usage: %s DEVICE\n", argv[0]), 2;
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size))
		return perror(argv[1]), 1;
	mem = mmap(NULL, BUFSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	printf("TAP version 13\n1..%zu\n", 3 * sizeof(tests) / sizeof(tests[0]) + 4);
	for (t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
		for (k = PLAIN; k <= FIXED_DMABUF; k++) {
			double iops[RUNS], cpu[RUNS], c = 0;
			int r, ok = 1;

			for (r = 0; r < RUNS && ok; r++) {
				iops[r] = run(fd, size, k, tests[t].bs, tests[t].qd, tests[t].random,
					      tests[t].nr, mem, &c);
				cpu[r] = iops[r] > 0 ? c / tests[t].nr * 1e6 : 0;
				ok = iops[r] > 0;
			}
			n++;
			if (!ok) {
				if (iops[r - 1] == -2) {
					printf("ok %u %s %s # SKIP not supported\n", n, tests[t].name, kind_name[k]);
				} else {
					printf("not ok %u %s %s\n", n, tests[t].name, kind_name[k]);
					fails++;
				}
				continue;
			}
			qsort(iops, RUNS, sizeof(double), cmp);
			qsort(cpu, RUNS, sizeof(double), cmp);
			printf("# JSON {\"test\":\"%s\",\"kind_id\":\"%s\",\"kind\":\"%s\","
			       "\"iops_median\":%.0f,\"iops_min\":%.0f,"
			       "\"iops_max\":%.0f,\"mbps_median\":%.1f,\"cpu_us_per_io_median\":%.1f}\n",
			       tests[t].name, kind_id[k], kind_name[k], iops[RUNS / 2], iops[0], iops[RUNS - 1],
			       iops[RUNS / 2] * tests[t].bs / 1e6, cpu[RUNS / 2]);
			printf("ok %u %s %s\n", n, tests[t].name, kind_name[k]);
		}
	}
	fails += reg_cost(fd, &n);
	return fails ? 1 : 0;
}
