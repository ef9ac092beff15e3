use std::fs::OpenOptions;

fn main() {
    let f = OpenOptions::new().append(true).open("/etc/passwd");
    println!("{}", if f.is_ok() { "opened" } else { "refused" });
}
