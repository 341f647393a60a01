// SPDX-License-Identifier: GPL-2.0
/*
 * make demo: load a safetensors model file from a filesystem into ONE
 * system-heap dma-buf, the way a model loader would: read the header, then
 * each tensor's byte range, with io_uring READ_FIXED on a dma-buf slot
 * (ITER_DMABUF: the disk DMAs straight into the dma-buf, no page cache, no
 * pinning).  Then check every tensor against the checksum its header
 * carries (mksafetensors writes them), through the dma-buf's mmap.
 *
 * Tensors start wherever the header ends (8-byte alignment only), so each
 * range is read rounded out to 4 KiB, into the same offset of the buffer as
 * in the file: neighbours overlap by at most a block, which is read twice
 * into the same place with the same data.
 *
 * usage: safetensors_load FILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "safetensors.h"
#include "dio_uring.h"
#include "dio_util.h"

#define BLK	4096ULL
#define CHUNK	(4ULL << 20)
#define QD	32
#define MAXT	1024

struct tensor {
	char name[128];
	uint64_t begin, end;	/* in the file */
	uint64_t sum;
	int has_sum;
};

static struct tensor t[MAXT];
static unsigned int nt;

static int fail(const char *what, int err)
{
	printf("# safetensors_load: %s: %s\n", what, strerror(err));
	printf("not ok 1 safetensors model load through ITER_DMABUF\n");
	return 1;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* A JSON string without escapes (what safetensors writers put in keys). */
static const char *str(const char *p, char *out, size_t outsz)
{
	size_t n = 0;

	p = skip_ws(p);
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if (*p == '\\')
			return NULL;
		if (n + 1 < outsz)
			out[n++] = *p;
		p++;
	}
	out[n] = 0;
	return *p == '"' ? p + 1 : NULL;
}

static struct tensor *find(const char *name)
{
	for (unsigned int i = 0; i < nt; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	if (nt == MAXT)
		return NULL;
	snprintf(t[nt].name, sizeof(t[nt].name), "%s", name);
	return &t[nt++];
}

/* The header: {"__metadata__": {k: v, ...}, NAME: {..., "data_offsets": [b, e]}, ...} */
static int parse(const char *p, uint64_t ds)
{
	char key[160], val[160];

	p = skip_ws(p);
	if (*p++ != '{')
		return -1;
	while (1) {
		p = str(p, key, sizeof(key));
		if (!p || *(p = skip_ws(p)) != ':')
			return -1;
		p = skip_ws(p + 1);
		if (*p != '{')
			return -1;
		if (!strcmp(key, "__metadata__")) {
			p++;
			while (*(p = skip_ws(p)) != '}') {
				p = str(p, key, sizeof(key));
				if (!p || *(p = skip_ws(p)) != ':')
					return -1;
				p = str(p + 1, val, sizeof(val));
				if (!p)
					return -1;
				if (!strncmp(key, "sum.", 4)) {
					struct tensor *x = find(key + 4);

					if (!x)
						return -1;
					x->sum = strtoull(val, NULL, 16);
					x->has_sum = 1;
				}
				p = skip_ws(p);
				if (*p == ',')
					p++;
			}
			p++;
		} else {
			const char *end = strchr(p, '}'), *d = strstr(p, "\"data_offsets\"");
			struct tensor *x = find(key);
			unsigned long long b, e;

			if (!x || !end || !d || d > end ||
			    sscanf(strchr(d, '[') ? strchr(d, '[') : "", "[%llu ,%llu", &b, &e) != 2)
				return -1;
			x->begin = ds + b;
			x->end = ds + e;
			p = end + 1;
		}
		p = skip_ws(p);
		if (*p == '}')
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

int main(int argc, char **argv)
{
	struct dma_heap_allocation_data d = { .fd_flags = O_RDWR | O_CLOEXEC };
	struct dma_buf_sync sync = { 0 };
	uint64_t hlen, ds, size, total = 0, sub_t = 0, sub_o = 0, read_bytes = 0, next_note = 0;
	unsigned int inflight = 0, bad = 0, i;
	struct io_uring ring;
	double t0, tl, c0, c, th, ch, ta, tr;
	char *hdr;
	uint8_t *map;
	struct stat st;
	int heap, fd, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..1\n");
	if (argc < 2)
		return fail("usage: safetensors_load FILE", EINVAL);
	fd = open(argv[1], O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		return fail(argv[1], errno);
	size = st.st_size;

	t0 = dio_now_s();
	c0 = dio_cpu_busy_s();
	/* the header, into user memory (O_DIRECT: aligned) */
	if (posix_memalign((void **)&hdr, BLK, BLK) || pread(fd, hdr, BLK, 0) < 8)
		return fail("reading the header length", errno ? errno : EIO);
	memcpy(&hlen, hdr, 8);
	ds = 8 + hlen;
	if (hlen > (64 << 20) || ds > size)
		return fail("header length", EINVAL);
	free(hdr);
	if (posix_memalign((void **)&hdr, BLK, (ds + BLK) & ~(BLK - 1)) ||
	    pread(fd, hdr, (ds + BLK - 1) & ~(BLK - 1), 0) < (ssize_t)ds)
		return fail("reading the header", errno ? errno : EIO);
	hdr[ds] = 0;
	if (parse(hdr + 8, ds) || !nt)
		return fail("parsing the header", EINVAL);
	free(hdr);
	for (i = 0; i < nt; i++) {
		if (t[i].end < t[i].begin || t[i].end > size)
			return fail(t[i].name, ERANGE);
		total += t[i].end - t[i].begin;
	}
	/* the load's time: the header now, the tensors below; not the setup */
	th = dio_now_s() - t0;
	ch = dio_cpu_busy_s() - c0;

	/* one buffer for the whole file: tensors at their file offsets */
	tr = dio_now_s();
	heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	d.len = (size + BLK - 1) & ~(BLK - 1);
	if (heap < 0 || ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d))
		return fail("system heap allocation", errno);
	close(heap);
	ta = dio_now_s() - tr;
	tr = dio_now_s();
	if (io_uring_queue_init(2 * QD, &ring, 0))
		return fail("io_uring_queue_init", errno);
	ret = dio_register_dmabufs(&ring, (int *)&d.fd, 1, fd);
	if (ret)
		return fail("registering the dma-buf for the file (kernel without the series?)", -ret);
	tr = dio_now_s() - tr;
	printf("# safetensors_load: %s: %u tensors, %.1f MiB, header %llu bytes read in %.1f ms; %.1f MiB dma-buf allocated in %.1f ms and registered in %.1f ms (not counted below)\n",
	       argv[1], nt, total / 1048576.0, (unsigned long long)hlen, th * 1e3,
	       d.len / 1048576.0, ta * 1e3, tr * 1e3);

	tl = dio_now_s();
	c0 = dio_cpu_busy_s();
	while (sub_t < nt || inflight) {
		struct io_uring_cqe *cqe;

		while (inflight < QD && sub_t < nt) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			uint64_t a0 = t[sub_t].begin & ~(BLK - 1);
			uint64_t a1 = (t[sub_t].end + BLK - 1) & ~(BLK - 1);
			uint64_t o = a0 + sub_o, len = a1 - o < CHUNK ? a1 - o : CHUNK;
			uint64_t want = (o + len > size ? size : o + len) - o;

			/* addr: the byte offset into the dma-buf; user_data: the bytes due */
			io_uring_prep_read_fixed(sqe, fd, (void *)(uintptr_t)o, len, o, 0);
			sqe->user_data = want;
			sub_o += len;
			if (a0 + sub_o >= a1) {
				sub_t++;
				sub_o = 0;
			}
			inflight++;
		}
		io_uring_submit(&ring);
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret)
			return fail("io_uring_wait_cqe", -ret);
		if (cqe->res < 0 || (uint64_t)cqe->res != cqe->user_data)
			return fail("READ_FIXED", cqe->res < 0 ? -cqe->res : EIO);
		read_bytes += cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		inflight--;
		if (read_bytes >= next_note) {
			printf("# progress: %4llu / %llu MiB  %6.0f MB/s\n",
			       (unsigned long long)(read_bytes >> 20),
			       (unsigned long long)(total >> 20),
			       read_bytes / 1e6 / (dio_now_s() - tl));
			next_note += total / 8;
		}
	}
	tl = dio_now_s() - tl + th;
	c = dio_cpu_busy_s() - c0 + ch;
	io_uring_queue_exit(&ring);

	/* every tensor against its checksum, through the dma-buf's mmap */
	map = mmap(NULL, d.len, PROT_READ, MAP_SHARED, d.fd, 0);
	if (map == MAP_FAILED)
		return fail("mmap of the dma-buf", errno);
	sync.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ;
	ioctl(d.fd, DMA_BUF_IOCTL_SYNC, &sync);
	for (i = 0; i < nt; i++) {
		if (!t[i].has_sum ||
		    st_sum(map + t[i].begin, t[i].end - t[i].begin) != t[i].sum) {
			if (bad++ < 5)
				printf("# safetensors_load: tensor %s: %s\n", t[i].name,
				       t[i].has_sum ? "CHECKSUM MISMATCH" : "no checksum");
		}
	}
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
	ioctl(d.fd, DMA_BUF_IOCTL_SYNC, &sync);
	munmap(map, d.len);
	close(d.fd);
	close(fd);
	if (bad) {
		printf("# safetensors_load: %u of %u tensors wrong\n", bad, nt);
		printf("not ok 1 safetensors model load through ITER_DMABUF\n");
		return 1;
	}
	printf("# safetensors_load: %u tensors (%.1f MiB) loaded in %.0f ms (%.0f MB/s, guest CPU %.0f ms) incl. the header, excl. allocation and registration, every tensor's checksum verified\n",
	       nt, total / 1048576.0, tl * 1e3, total / 1e6 / tl, c * 1e3);
	printf("# JSON {\"id\":\"safetensors_load\",\"method\":\"safetensors_load\",\"mib\":%.1f,\"tensors\":%u,\"io_ms\":%.1f,\"mbps\":%.1f,\"cpu_ms\":%.1f,\"alloc_ms\":%.1f,\"register_ms\":%.1f}\n",
	       total / 1048576.0, nt, tl * 1e3, total / 1e6 / tl, c * 1e3, ta * 1e3, tr * 1e3);
	printf("ok 1 safetensors model load through ITER_DMABUF\n");
	return 0;
}
