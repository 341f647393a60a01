// SPDX-License-Identifier: GPL-2.0
/* Host tool: write the dio pattern into a disk image. usage: mkimage FILE MiB */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "pattern.h"

int main(int argc, char **argv)
{
	static uint64_t buf[1 << 17];	/* 1 MiB */
	unsigned long mib, i;
	int fd;

	if (argc != 3)
		return fprintf(stderr, "usage: %s FILE MiB\n", argv[0]), 2;
	mib = strtoul(argv[2], NULL, 0);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return perror(argv[1]), 1;
	for (i = 0; i < mib; i++) {
		dio_pattern_fill(buf, (uint64_t)i << 20, sizeof(buf));
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			return perror("write"), 1;
	}
	return close(fd) ? 1 : 0;
}
