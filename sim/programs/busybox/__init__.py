"""busybox."""
