// SPDX-License-Identifier: GPL-2.0
/*
 * Load a "model file" into 32 MB buffers with every method of the upstream
 * 32x32 MB table that this kernel can run, verify the data after each method
 * and print the table (plus one JSON line per method).
 *
 * usage: dmabuf_load [MiB [RUNS]]   (default 1024 MiB, 1 run; the file is
 *                             the first MiB of $DIO_DISK, by default
 *                             /dev/nvme0n1, which holds the dio pattern)
 *
 * With several runs each figure is the median, and the MB/s range is shown.
 *
 * Exits non-zero if any method returns wrong data; never because of speed.
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
#include <sys/sendfile.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>

#include "pattern.h"
#include "dio_util.h"

#define DISK dio_disk()
#define BUFSZ (32UL << 20)

enum kind { K_DMABUF, K_UDMABUF, K_MEMFD, K_UMFD };
enum io { IO_RW, IO_SENDFILE, IO_SPLICE, IO_URING_USER, IO_URING_DMABUF };

struct method {
	const char *id;		/* stable key of the JSON row */
	const char *name;	/* the upstream table's row label */
	enum kind kind;
	enum io io;
	int direct;
};

struct buf {
	int memfd;	/* memfd backing (memfd, udmabuf, u+mfd) */
	int dmabuf;	/* dma-buf fd (system heap or udmabuf) */
	void *map;	/* CPU mapping used for I/O and verification */
};

static int nbufs;
static struct buf *bufs;
static int failures;

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	sync();
	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			perror("drop_caches");
		close(fd);
	}
}

static int udmabuf_from(int memfd, size_t len)
{
	struct udmabuf_create c = { .memfd = memfd, .flags = UDMABUF_FLAGS_CLOEXEC, .size = len };
	int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC), fd;

	if (dev < 0)
		return -1;
	fd = ioctl(dev, UDMABUF_CREATE, &c);
	close(dev);
	return fd;
}

static int create(enum kind k, struct buf *b)
{
	b->memfd = b->dmabuf = -1;
	if (k == K_DMABUF) {
		b->dmabuf = dio_heap_alloc(BUFSZ);
		if (b->dmabuf < 0)
			return -1;
		b->map = mmap(NULL, BUFSZ, PROT_READ | PROT_WRITE, MAP_SHARED, b->dmabuf, 0);
		return b->map == MAP_FAILED ? -1 : 0;
	}
	b->memfd = memfd_create("model", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (b->memfd < 0 || ftruncate(b->memfd, BUFSZ))
		return -1;
	if (k != K_MEMFD) {
		if (fcntl(b->memfd, F_ADD_SEALS, F_SEAL_SHRINK))
			return -1;
		b->dmabuf = udmabuf_from(b->memfd, BUFSZ);
		if (b->dmabuf < 0)
			return -1;
	}
	b->map = mmap(NULL, BUFSZ, PROT_READ | PROT_WRITE, MAP_SHARED,
		      k == K_UDMABUF ? b->dmabuf : b->memfd, 0);
	return b->map == MAP_FAILED ? -1 : 0;
}

static void destroy(struct buf *b)
{
	if (b->map && b->map != MAP_FAILED)
		munmap(b->map, BUFSZ);
	if (b->dmabuf >= 0)
		close(b->dmabuf);
	if (b->memfd >= 0)
		close(b->memfd);
	memset(b, 0, sizeof(*b));
}

static void cpu_access(struct buf *b, int end)
{
	struct dma_buf_sync s = { .flags = DMA_BUF_SYNC_RW | (end ? DMA_BUF_SYNC_END : DMA_BUF_SYNC_START) };

	if (b->dmabuf >= 0)
		ioctl(b->dmabuf, DMA_BUF_IOCTL_SYNC, &s);
}

static ssize_t full_read(int fd, void *p, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(fd, (char *)p + done, len - done, off + done);

		if (r <= 0)
			return r < 0 ? r : (ssize_t)done;
		done += r;
	}
	return done;
}

static ssize_t do_sendfile(int file, int dst, size_t len, off_t off)
{
	size_t done = 0;

	if (lseek(dst, 0, SEEK_SET) < 0)
		return -1;
	while (done < len) {
		ssize_t r = sendfile(dst, file, &off, len - done);

		if (r <= 0)
			return r < 0 ? r : (ssize_t)done;
		done += r;
	}
	return done;
}

static ssize_t do_splice(int file, int dst, int pfd[2], size_t len, off_t off)
{
	loff_t in = off, out = 0;
	size_t done = 0;

	while (done < len) {
		ssize_t r = splice(file, &in, pfd[1], NULL, len - done, SPLICE_F_MOVE), w;

		if (r <= 0)
			return r < 0 ? r : (ssize_t)done;
		for (w = r; w > 0;) {
			ssize_t k = splice(pfd[0], NULL, dst, &out, w, SPLICE_F_MOVE);

			if (k <= 0)
				return -1;
			w -= k;
		}
		done += r;
	}
	return done;
}

/* io_uring READ_FIXED of each buffer in 1 MiB requests, QD 32. */
static int uring_load(int file, int dmabuf_slots, size_t mib)
{
	struct io_uring ring;
	struct iovec *iov = calloc(nbufs > 0 ? nbufs : 1, sizeof(*iov));
	size_t chunk = 1 << 20, total = mib << 20, off = 0, done = 0;
	int i, ret = -1, inflight = 0;

	if (io_uring_queue_init(64, &ring, 0))
		return -1;
	for (i = 0; i < nbufs; i++) {
		iov[i].iov_base = bufs[i].map;
		iov[i].iov_len = BUFSZ;
	}
	if (dmabuf_slots) {
		int *fds = calloc(nbufs > 0 ? nbufs : 1, sizeof(int));

		for (i = 0; i < nbufs; i++)
			fds[i] = bufs[i].dmabuf;
		i = dio_register_dmabufs(&ring, fds, nbufs, file);
		free(fds);
	} else {
		i = io_uring_register_buffers(&ring, iov, nbufs);
	}
	if (i) {
		errno = -i;
		goto out;
	}
	while (done < total) {
		while (inflight < 32 && off < total) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			int idx = off / BUFSZ;
			size_t in = off % BUFSZ;

			if (dmabuf_slots)
				io_uring_prep_read_fixed(sqe, file, (void *)in, chunk, off, idx);
			else
				io_uring_prep_read_fixed(sqe, file, (char *)bufs[idx].map + in,
							 chunk, off, idx);
			off += chunk;
			inflight++;
		}
		io_uring_submit(&ring);
		while (inflight) {
			struct io_uring_cqe *cqe;

			if (io_uring_wait_cqe(&ring, &cqe))
				goto out;
			if (cqe->res != (int)chunk) {
				fprintf(stderr, "read_fixed: %d\n", cqe->res);
				goto out;
			}
			io_uring_cqe_seen(&ring, cqe);
			inflight--;
			done += chunk;
			if (off < total)
				break;
		}
	}
	ret = 0;
out:
	io_uring_queue_exit(&ring);
	free(iov);
	return ret;
}

static const struct method methods[] = {
	{ "dmabuf_rw_first", "Beg dmabuf buffer R/W",  K_DMABUF,  IO_RW, 0 },
	{ "udmabuf_rw", "udmabuf buffer R/W",     K_UDMABUF, IO_RW, 0 },
	{ "memfd_rw", "memfd buffer R/W",       K_MEMFD,   IO_RW, 0 },
	{ "memfd_direct_rw", "memfd direct R/W",       K_MEMFD,   IO_RW, 1 },
	{ "memfd_sendfile", "memfd buffer sendfile",  K_MEMFD,   IO_SENDFILE, 0 },
	{ "memfd_direct_sendfile", "memfd direct sendfile",  K_MEMFD,   IO_SENDFILE, 1 },
	{ "memfd_splice", "memfd buffer splice",    K_MEMFD,   IO_SPLICE, 0 },
	{ "memfd_direct_splice", "memfd direct splice",    K_MEMFD,   IO_SPLICE, 1 },
	{ "udmabuf_memfd_rw", "u+mfd buffer R/W",       K_UMFD,    IO_RW, 0 },
	{ "udmabuf_memfd_direct_rw", "u+mfd direct R/W",       K_UMFD,    IO_RW, 1 },
	{ "udmabuf_memfd_sendfile", "u+mfd buffer sendfile",  K_UMFD,    IO_SENDFILE, 0 },
	{ "udmabuf_memfd_direct_sendfile", "u+mfd direct sendfile",  K_UMFD,    IO_SENDFILE, 1 },
	{ "udmabuf_memfd_splice", "u+mfd buffer splice",    K_UMFD,    IO_SPLICE, 0 },
	{ "udmabuf_memfd_direct_splice", "u+mfd direct splice",    K_UMFD,    IO_SPLICE, 1 },
	{ "udmabuf_memfd_uring_fixed", "u+mfd uring fixed",      K_UMFD,    IO_URING_USER, 1 },
	{ "dmabuf_uring_iter_dmabuf", "dmabuf uring ITER_DMABUF", K_DMABUF, IO_URING_DMABUF, 1 },
	{ "dmabuf_rw_last", "End dmabuf buffer R/W",  K_DMABUF,  IO_RW, 0 },
};

/* DIO_METHODS: a comma-separated list of method ids to run (default: all) */
static bool wanted(const struct method *m)
{
	const char *only = getenv("DIO_METHODS"), *p;
	size_t n = strlen(m->id);

	if (!only || !*only)
		return true;
	for (p = only; (p = strstr(p, m->id)); p += n)
		if ((p == only || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
	return false;
}

static int run(const struct method *m, size_t mib, int *fail, double *res)
{
	int file, i, pfd[2] = { -1, -1 };
	double t0, t1, t2, t3, c0, c1;
	int fail_io = 0;
	ssize_t r = 0;

	drop_caches();
	file = open(DISK, O_RDONLY | (m->direct ? O_DIRECT : 0));
	if (file < 0)
		return -1;
	t0 = (dio_now_s() * 1e3);
	for (i = 0; i < nbufs; i++)
		if (create(m->kind, &bufs[i]))
			return -1;
	if (m->io == IO_SPLICE) {
		if (pipe(pfd))
			return -1;
		fcntl(pfd[1], F_SETPIPE_SZ, 1 << 20);
	}
	t1 = (dio_now_s() * 1e3);
	c0 = (dio_cpu_busy_s() * 1e3);
	if (m->io == IO_URING_USER || m->io == IO_URING_DMABUF) {
		r = uring_load(file, m->io == IO_URING_DMABUF, mib) ? -1 : 0;
		if (r < 0 && errno != EOPNOTSUPP)
			fail_io = 1;
	} else {
		for (i = 0; i < nbufs && r >= 0; i++) {
			off_t off = (off_t)i * BUFSZ;

			if (m->kind != K_MEMFD && m->io == IO_RW)
				cpu_access(&bufs[i], 0);
			if (m->io == IO_RW)
				r = full_read(file, bufs[i].map, BUFSZ, off);
			else if (m->io == IO_SENDFILE)
				r = do_sendfile(file, bufs[i].memfd, BUFSZ, off);
			else
				r = do_splice(file, bufs[i].memfd, pfd, BUFSZ, off);
			if (m->kind != K_MEMFD && m->io == IO_RW)
				cpu_access(&bufs[i], 1);
			if (r >= 0 && r != (ssize_t)BUFSZ)
				r = -1;
		}
	}
	t2 = (dio_now_s() * 1e3);
	c1 = (dio_cpu_busy_s() * 1e3);
	if (r < 0) {
		int e = errno;

		for (i = 0; i < nbufs; i++)
			destroy(&bufs[i]);
		close(file);
		errno = e;
		if (fail_io || (e != EOPNOTSUPP && e != EINVAL && e != EXDEV))
			*fail = 1;
		return -2;
	}
	for (i = 0; i < nbufs; i++) {
		long long bad;

		cpu_access(&bufs[i], 0);
		bad = dio_pattern_check(bufs[i].map, (uint64_t)i * BUFSZ, BUFSZ);
		cpu_access(&bufs[i], 1);
		if (bad >= 0) {
			fprintf(stderr, "%s: DATA MISMATCH in buffer %d at byte %lld\n", m->name, i, bad);
			*fail = 1;
			break;
		}
	}
	t3 = (dio_now_s() * 1e3);
	for (i = 0; i < nbufs; i++)
		destroy(&bufs[i]);
	if (pfd[0] >= 0) {
		close(pfd[0]);
		close(pfd[1]);
	}
	close(file);
	res[0] = t1 - t0;
	res[1] = (dio_now_s() * 1e3) - t3;
	res[2] = t2 - t1;
	res[3] = c1 - c0;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of column @c over @n results, sorting a copy. */
static double median(double (*res)[4], int n, int c, double *min, double *max)
{
	double v[n];
	int i;

	for (i = 0; i < n; i++)
		v[i] = res[i][c];
	qsort(v, n, sizeof(double), cmp);
	if (min)
		*min = v[0];
	if (max)
		*max = v[n - 1];
	return v[n / 2];
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 1024;
	int runs = argc > 2 ? atoi(argv[2]) : 1;
	const char *source = getenv("DIO_SOURCE") ? getenv("DIO_SOURCE") : "";
	double base = 0;
	unsigned int k, n = 0, t = 0;

	/* line by line: the plan pipes the output (live progress in make demo) */
	setvbuf(stdout, NULL, _IOLBF, 0);

	nbufs = mib / 32;
	if (!nbufs || runs < 1)
		return fprintf(stderr, "need at least 32 MiB and one run\n"), 2;
	mib = nbufs * 32UL;
	bufs = calloc(nbufs, sizeof(*bufs));
	for (k = 0; k < sizeof(methods) / sizeof(methods[0]); k++)
		n += wanted(&methods[k]);
	printf("TAP version 13\n1..%u\n", n);
	printf("# %dx32MB Read %zuMB from %s, median of %d run%s\n", nbufs, mib, DISK,
	       runs, runs > 1 ? "s" : "");
	printf("# | %dx32MB Read %zuMB |Creat-ms|Close-ms| I/O-ms|I/O-MB/s| I/O%% |CPU-ms| MB/s min-max |\n",
	       nbufs, mib);
	printf("# |-------------------------|--------|--------|--------|--------|-----|------|--------------|\n");
	for (k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
		const struct method *m = &methods[k];
		double res[runs][4], io, io_min, io_max;
		int fail = 0, rc = 0, r;

		if (!wanted(m))
			continue;
		t++;
		for (r = 0; r < runs && !rc && !fail; r++)
			rc = run(m, mib, &fail, res[r]);
		if (rc && (fail || rc == -1)) {
			printf("# |%2u) %21s| I/O FAILED: %s\n", k + 1, m->name, strerror(errno));
			printf("not ok %u %s\n", t, m->name);
			failures++;
			continue;
		}
		if (rc) {
			printf("# |%2u) %21s| %s: %s\n", k + 1, m->name,
			       rc == -1 ? "setup failed" : "not supported on this kernel",
			       strerror(errno));
			printf("ok %u %s # SKIP %s\n", t, m->name, strerror(errno));
			continue;
		}
		if (fail) {
			printf("# |%2u) %21s| DATA MISMATCH in run %d\n", k + 1, m->name, r);
			printf("not ok %u %s\n", t, m->name);
			failures++;
			continue;
		}
		io = median(res, runs, 2, &io_min, &io_max);
		if (!base)
			base = io;
		printf("# |%2u) %21s| %6.0f | %6.0f | %6.0f | %6.0f | %3.0f%% | %5.0f | %5.0f-%-6.0f |\n",
		       k + 1, m->name, median(res, runs, 0, NULL, NULL),
		       median(res, runs, 1, NULL, NULL), io, mib / (io / 1e3), 100.0 * base / io,
		       median(res, runs, 3, NULL, NULL), mib / (io_max / 1e3), mib / (io_min / 1e3));
		/* DIO_SOURCE names where the data came from in the row's id */
		printf("# JSON {\"id\":\"%s%s%s\",\"method\":\"%s\",\"runs\":%d,\"creat_ms\":%.1f,\"close_ms\":%.1f,"
		       "\"io_ms\":%.1f,\"mbps\":%.1f,\"mbps_min\":%.1f,\"mbps_max\":%.1f,"
		       "\"cpu_ms\":%.1f,\"verified\":true}\n", source, *source ? ":" : "", m->id,
		       m->name, runs,
		       median(res, runs, 0, NULL, NULL), median(res, runs, 1, NULL, NULL), io,
		       mib / (io / 1e3), mib / (io_max / 1e3), mib / (io_min / 1e3),
		       median(res, runs, 3, NULL, NULL));
		printf("ok %u %s\n", t, m->name);
	}
	return failures ? 1 : 0;
}
