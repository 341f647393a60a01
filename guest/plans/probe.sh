ls /sys/module | grep -i dio; ls /sys/kernel/debug/ | head -30; ls /sys/kernel/debug/fail_make_request
