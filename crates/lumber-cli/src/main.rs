//! The `lumber` command.
fn main() {}
