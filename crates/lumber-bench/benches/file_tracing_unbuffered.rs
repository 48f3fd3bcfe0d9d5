//! tracing-subscriber: the fmt layer writing to a file, one `write(2)` per
//! event.

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "shared/tracing.rs"]
mod tracing_setup;

fn benches(c: &mut Criterion) {
    tracing_setup::run(c, false);
}

criterion_group!(group, benches);
criterion_main!(group);
