// SPDX-License-Identifier: GPL-2.0
/*
 * p2p_probe: does PCI peer-to-peer DMA work in this machine?  Finds the
 * p2pmem a PCI device published (an NVMe controller memory buffer), maps a
 * piece of it through sysfs (p2pmem/allocate), reads the pattern disk into
 * it with O_DIRECT (the disk's controller writes into the other device's
 * BAR) and checks every byte by reading the BAR with the CPU; then writes it
 * back out to another range of the disk and checks that range through the
 * page cache.  Prints KTAP.  This is the status quo path P2P has today
 * (user pages of ZONE_DEVICE memory, FOLL_PCI_P2PDMA), not the series'.
 *
 * usage: p2p_probe [DISK]   (default $DIO_DISK or /dev/nvme0n1)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dio_util.h"
#include "pattern.h"

#define LEN		(4u << 20)
#define WRITE_AT	(128ull << 20)	/* disk offset the write-back uses */

static int tests, failed;

static void result(int ok, const char *what, const char *detail)
{
	tests++;
	failed += !ok;
	printf("%s %d %s%s%s\n", ok ? "ok" : "not ok", tests, what,
	       detail ? " # " : "", detail ? detail : "");
}

static long long read_num(const char *dir, const char *name)
{
	char path[512], buf[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtoll(buf, NULL, 0);
	fclose(f);
	return v;
}

/* The p2pmem directory of the first PCI device that published some. */
static int find_p2pmem(char *out, size_t outsz)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)) && !found) {
		char dir[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/p2pmem", e->d_name);
		if (read_num(dir, "size") > 0) {
			printf("# %s: p2pmem size %lld available %lld published %lld\n",
			       e->d_name, read_num(dir, "size"),
			       read_num(dir, "available"), read_num(dir, "published"));
			snprintf(out, outsz, "%s", dir);
			found = 1;
		}
	}
	if (d)
		closedir(d);
	return found;
}

int main(int argc, char **argv)
{
	const char *disk = argc > 1 ? argv[1] : dio_disk();
	char dir[512], path[600], msg[700];
	unsigned char *p2p, *ref;
	long long bad;
	ssize_t n;
	int fd, afd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..4\n");
	if (!find_p2pmem(dir, sizeof(dir))) {
		result(0, "p2pmem published", "no PCI device has p2pmem");
		return 1;
	}
	result(1, "p2pmem published", NULL);

	snprintf(path, sizeof(path), "%s/allocate", dir);
	afd = open(path, O_RDWR);
	p2p = afd < 0 ? MAP_FAILED : mmap(NULL, LEN, PROT_READ | PROT_WRITE,
					   MAP_SHARED, afd, 0);
	if (p2p == MAP_FAILED) {
		snprintf(msg, sizeof(msg), "%s: %s", path, strerror(errno));
		result(0, "p2pmem mapped", msg);
		return 1;
	}
	result(1, "p2pmem mapped", NULL);

	fd = open(disk, O_RDWR | O_DIRECT);
	ref = aligned_alloc(4096, LEN);
	if (fd < 0 || !ref) {
		perror(disk);
		return 1;
	}
	memset(p2p, 0xa5, LEN);
	n = pread(fd, p2p, LEN, 0);
	bad = n == LEN ? dio_pattern_check(p2p, 0, LEN) : -2;
	snprintf(msg, sizeof(msg), "pread %zd (%s), first bad byte %lld", n,
		 n < 0 ? strerror(errno) : "ok", bad);
	result(n == LEN && bad == -1, "O_DIRECT read from the disk into p2pmem", msg);

	n = pwrite(fd, p2p, LEN, WRITE_AT);
	if (n == LEN) {
		int cfd = open(disk, O_RDONLY);

		n = cfd < 0 ? -1 : pread(cfd, ref, LEN, WRITE_AT);
		if (cfd >= 0)
			close(cfd);
	}
	bad = n == LEN ? dio_pattern_check(ref, 0, LEN) : -2;
	snprintf(msg, sizeof(msg), "%zd (%s), first bad byte %lld", n,
		 n < 0 ? strerror(errno) : "ok", bad);
	result(n == LEN && bad == -1, "O_DIRECT write from p2pmem to the disk", msg);
	munmap(p2p, LEN);
	close(afd);
	close(fd);
	free(ref);
	return failed ? 1 : 0;
}
