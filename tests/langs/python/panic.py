# An uncaught exception: the traceback on stderr, exit status 1.
xs = [1, 2, 3]
print(xs[10])
