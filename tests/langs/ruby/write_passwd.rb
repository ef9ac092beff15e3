begin
  File.open("/etc/passwd", "a") { puts "opened" }
rescue SystemCallError
  puts "refused"
end
