/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the workbench's guest programs (not by the series'
 * selftests, which stand alone): clocks, guest CPU time, system-heap
 * dma-bufs, and the pattern disk they read.
 */
#ifndef DIO_UTIL_H
#define DIO_UTIL_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-heap.h>

/* Monotonic time in seconds. */
static inline double dio_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Busy CPU time of the whole guest in seconds (all but idle and iowait). */
static inline double dio_cpu_busy_s(void)
{
	unsigned long long v[8];
	FILE *f = fopen("/proc/stat", "r");
	int n = f ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) : 0;

	if (f)
		fclose(f);
	if (n != 8)
		return 0;
	return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / sysconf(_SC_CLK_TCK);
}

/* A system-heap dma-buf of len bytes (O_RDWR, close-on-exec), or -1 and errno. */
static inline int dio_heap_alloc(size_t len)
{
	struct dma_heap_allocation_data d = { .len = len, .fd_flags = O_RDWR | O_CLOEXEC };
	int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	int ret;

	if (heap < 0)
		return -1;
	ret = ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d);
	close(heap);
	return ret ? -1 : (int)d.fd;
}

/*
 * The disk holding the pattern the host wrote (mkimage): $DIO_DISK, by
 * default the guest's first NVMe namespace.
 */
static inline const char *dio_disk(void)
{
	const char *d = getenv("DIO_DISK");

	return d && *d ? d : "/dev/nvme0n1";
}

#endif
