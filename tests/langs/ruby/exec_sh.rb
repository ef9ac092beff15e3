exec("/bin/sh", "-c", "echo shell")
