use std::net::TcpStream;

fn main() {
    let s = TcpStream::connect("127.0.0.1:80");
    println!("{:?}", s.is_ok());
}
