use std::ptr;

fn main() {
    let mut i: u64 = 0;
    loop {
        // A volatile store keeps the loop from being folded away.
        unsafe { ptr::write_volatile(&mut i, ptr::read_volatile(&i).wrapping_add(1)) };
    }
}
