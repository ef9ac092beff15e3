i = 0
loop do
  i += 1
end
