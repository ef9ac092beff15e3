fn main() {
    let v: Vec<i32> = Vec::new();
    let i = std::env::args().count() + 4;
    // Index out of bounds: a panic, exit status 101.
    println!("{}", v[i]);
}
