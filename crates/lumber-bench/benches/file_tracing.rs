//! tracing-subscriber: the disabled call, and the fmt layer writing to a
//! file through a 64 KiB `BufWriter`.

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "shared/tracing.rs"]
mod tracing_setup;

fn benches(c: &mut Criterion) {
    tracing_setup::run(c, true);
}

criterion_group!(group, benches);
criterion_main!(group);
