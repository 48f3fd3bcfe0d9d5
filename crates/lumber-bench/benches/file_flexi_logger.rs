//! flexi_logger: the disabled call, and a file writer buffering 64 KiB
//! (`WriteMode::BufferDontFlushWith`, no flusher thread).

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "shared/flexi_logger.rs"]
mod flexi_logger_setup;

fn benches(c: &mut Criterion) {
    flexi_logger_setup::run(c, true);
}

criterion_group!(group, benches);
criterion_main!(group);
