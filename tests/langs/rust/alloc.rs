// A 512 MiB table filled with ones (vec! of a non-zero value writes every
// byte); the sum of one byte per page is printed so none of it is dropped.
fn main() {
    let n: usize = 512 << 20;
    let table = vec![1u8; n];
    let sum: u64 = table.iter().step_by(4096).map(|&b| b as u64).sum();
    println!("{}", sum);
}
