require "socket"

s = Socket.new(:INET, :STREAM)
puts s.fileno
