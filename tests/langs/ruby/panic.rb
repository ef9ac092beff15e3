# An uncaught exception: the message on stderr, exit status 1.
xs = [1, 2, 3]
puts xs.fetch(10)
