try:
    with open("/etc/passwd", "a") as f:
        print("opened")
except OSError:
    print("refused")
