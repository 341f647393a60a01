// SPDX-License-Identifier: GPL-2.0
/*
 * Workbench smoke test: read the guest's NVMe namespace with O_DIRECT through
 * io_uring fixed (registered) user buffers and check every byte against the
 * pattern the host wrote into the image. Proves the disk, io_uring and the
 * result plumbing before any series test runs.  It reads [144 MiB, 208 MiB),
 * which the series' tests never write (they write their own data below
 * 144 MiB and in the last 16 MiB of the disk), even the KUnit suite that runs
 * at boot before this.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/fs.h>

#include "kselftest_harness.h"
#include "pattern.h"
#include "dio_util.h"

#define DISK dio_disk()
#define NBUF 8
#define BUFSZ (1 << 20)
#define START (144ULL << 20)
#define LEN (64ULL << 20)

FIXTURE(smoke) {
	struct io_uring ring;
	struct iovec iov[NBUF];
	int fd;
	unsigned long long size;
};

FIXTURE_SETUP(smoke)
{
	int i;

	self->fd = open(DISK, O_RDONLY | O_DIRECT);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", DISK, strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, BLKGETSIZE64, &self->size));
	ASSERT_EQ(0, io_uring_queue_init(64, &self->ring, 0));
	for (i = 0; i < NBUF; i++) {
		self->iov[i].iov_len = BUFSZ;
		self->iov[i].iov_base = mmap(NULL, BUFSZ, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, self->iov[i].iov_base);
	}
	ASSERT_EQ(0, io_uring_register_buffers(&self->ring, self->iov, NBUF));
}

FIXTURE_TEARDOWN(smoke)
{
	int i;

	io_uring_queue_exit(&self->ring);
	for (i = 0; i < NBUF; i++)
		munmap(self->iov[i].iov_base, BUFSZ);
	close(self->fd);
}

/* Read [START, START + LEN) in 1 MiB fixed-buffer reads, QD 8. */
TEST_F(smoke, read_fixed_sequential)
{
	unsigned long long total = START + LEN, off = START, done = START;
	struct io_uring_cqe *cqe;
	int i, inflight = 0;

	ASSERT_LE(total, self->size) TH_LOG("disk too small");
	while (done < total) {
		for (i = 0; i < NBUF && off < total; i++, off += BUFSZ) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&self->ring);

			io_uring_prep_read_fixed(sqe, self->fd, self->iov[i].iov_base,
						 BUFSZ, off, i);
			sqe->user_data = off;
			inflight++;
		}
		ASSERT_EQ(inflight, io_uring_submit(&self->ring));
		for (; inflight; inflight--) {
			unsigned long long o;
			long long bad;

			ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
			ASSERT_EQ(BUFSZ, cqe->res) TH_LOG("res %d at %llu", cqe->res,
							   (unsigned long long)cqe->user_data);
			o = cqe->user_data;
			i = (o / BUFSZ) % NBUF;
			bad = dio_pattern_check(self->iov[i].iov_base, o, BUFSZ);
			ASSERT_EQ(-1, bad) TH_LOG("mismatch at disk byte %llu", o + bad);
			io_uring_cqe_seen(&self->ring, cqe);
			done += BUFSZ;
		}
	}
}

/* Sub-page-unaligned offsets are refused by O_DIRECT; 512-byte ones are not. */
TEST_F(smoke, read_fixed_small_offsets)
{
	static const unsigned int offs[] = { 512, 4096, 7 * 512, 1 << 20 };
	struct io_uring_cqe *cqe;
	unsigned int k;

	for (k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&self->ring);
		char *buf = self->iov[0].iov_base;

		memset(buf, 0, 4096);
		io_uring_prep_read_fixed(sqe, self->fd, buf, 4096, START + offs[k], 0);
		ASSERT_EQ(1, io_uring_submit(&self->ring));
		ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
		ASSERT_EQ(4096, cqe->res);
		io_uring_cqe_seen(&self->ring, cqe);
		ASSERT_EQ(-1, dio_pattern_check(buf, START + offs[k], 4096));
	}
	{
		struct io_uring_sqe *sqe = io_uring_get_sqe(&self->ring);

		io_uring_prep_read_fixed(sqe, self->fd, self->iov[0].iov_base, 4096,
					 START + 3, 0);
		ASSERT_EQ(1, io_uring_submit(&self->ring));
		ASSERT_EQ(0, io_uring_wait_cqe(&self->ring, &cqe));
		EXPECT_EQ(-EINVAL, cqe->res);
		io_uring_cqe_seen(&self->ring, cqe);
	}
}

TEST_HARNESS_MAIN
