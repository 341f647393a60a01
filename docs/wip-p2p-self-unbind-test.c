/*
 * Work in progress, not part of the series: a selftest for unbinding an NVMe
 * controller whose own memory buffer backs a registered dma-buf slot (goes
 * at the end of tools/testing/selftests/dmabuf_io/dmabuf_io_uring.c, needs
 * <sys/wait.h>; machine: a null disk with "cmb_mib": 16 behind the switch of
 * check-p2p, DMABUF_IO_P2P_SELF=its /dev node, run with -f p2p_self).
 * On 2026-12-03 the removal hung both with and without the free_work change
 * of patch 0020.  A read of the code found why it still hung with it: the
 * child forked to write "remove" inherited the ring fd and the ring's mmaps,
 * so the parent's io_uring_queue_exit() never released the ring, and the
 * removal waits (memunmap_pages()) for the dma-buf the slot holds: a cycle
 * made by the test.  The child now drops its copies first (below).  Run so
 * (machine: check-p2p's pattern disk plus a null disk "self0" with
 * "cmb_mib": 16 behind the switch; plan: DMABUF_IO_P2P_SELF=$(disk_by_serial
 * self0), dmabuf_io_uring -f p2p_self): with patch 0020 the removal finished
 * 0.4 s after the slot was dropped and the disk came back, no splat; with
 * the old free_work (device_lock) it did not finish in 60 s and the guest
 * hung.
 */

/*
 * Device memory of the disk's own controller: DMABUF_IO_P2P_SELF names a
 * disk (a namespace of an NVMe controller with a controller memory buffer,
 * which the test may remove and rescan) whose dma-buf comes from its own
 * CMB.  Unbinding the controller's driver waits, with the device lock held,
 * until that memory is released; dropping the last slot of the buffer must
 * release it without needing that lock.
 */
FIXTURE(p2p_self) {
	int unused;
};

FIXTURE_SETUP(p2p_self)
{
}

FIXTURE_TEARDOWN(p2p_self)
{
}

TEST_F_TIMEOUT(p2p_self, unbind_own_memory, TIMEOUT)
{
	const char *self_disk = getenv("DMABUF_IO_P2P_SELF");
	struct io_uring_regbuf_desc d;
	char provider[32], *bdf;
	struct io_uring ring;
	struct hp_disk hp = {};
	char path[PATH_MAX];
	struct dbuf b;
	int fd, status, i;
	pid_t child;

	if (!self_disk || !*self_disk)
		SKIP(return, "DMABUF_IO_P2P_SELF not set: no disk with its own memory to unbind");
	snprintf(hp.name, sizeof(hp.name), "%s", strrchr(self_disk, '/') + 1);
	snprintf(path, sizeof(path), "/sys/block/%s/nsid", hp.name);
	ASSERT_EQ(0, disk_dev(hp.name, "", hp.ctrl));
	ASSERT_EQ(0, disk_dev(hp.name, "/device", hp.pci));
	ASSERT_EQ(0, read_attr(path, hp.nsid, sizeof(hp.nsid)));
	fd = open(self_disk, O_RDONLY | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("%s: %m", self_disk);
	i = p2p_alloc(&b, fd, P2P_SIZE, provider);
	if (i == -ENOENT || i == -ENODEV)
		SKIP(return, "no p2pmem near %s (%s)", self_disk, strerror(-i));
	ASSERT_EQ(0, i);
	bdf = strrchr(hp.pci, '/') + 1;
	if (strcmp(provider, bdf))
		SKIP(return, "the memory is %s's, not %s's own", provider, bdf);

	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, io_uring_register_buffers_sparse(&ring, 1));
	d = desc_of(b.fd, fd);
	d.flags = IO_REGBUF_F_REQUIRE_P2P;
	ASSERT_EQ(1, io_uring_register_regbufs_update(&ring, 0, &d, NULL, 1));
	/* the controller reads into its own memory (a null disk: zeros) */
	memset(b.map, 0xa5, 64 * KiB);
	ASSERT_EQ(64 * KiB, one_req(&ring, fd, 0, 0, 64 * KiB, 0, false, false));
	ASSERT_EQ(-1, first_not(b.map, 64 * KiB, 0));
	/* only the slot holds the dma-buf now */
	dbuf_free(&b);
	close(fd);

	snprintf(path, sizeof(path), "%s/remove", hp.pci);
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		/* the child's copies of the ring fd and mmaps would hold the slot */
		io_uring_queue_exit(&ring);
		_exit(write_attr(path, "1") ? 1 : 0);
	}
	hp.removed = true;
	/* the unbind has revoked the mapping and waits for the memory */
	sleep(2);
	io_uring_queue_exit(&ring);
	for (i = 0; i < 600; i++) {
		if (waitpid(child, &status, WNOHANG) == child)
			break;
		usleep(100000);
	}
	ASSERT_GT(600, i) TH_LOG("removing %s did not finish 60 s after the slot was dropped",
				 hp.pci);
	TH_LOG("removal finished %d.%d s after the slot was dropped", i / 10, i % 10);
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(0, hotplug_rescan(_metadata, &hp)) TH_LOG("%s did not come back", hp.pci);
}
