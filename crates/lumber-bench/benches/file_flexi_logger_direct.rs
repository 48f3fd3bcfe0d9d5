//! flexi_logger: a file writer with `WriteMode::Direct`, one `write(2)` per
//! record.

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "shared/flexi_logger.rs"]
mod flexi_logger_setup;

fn benches(c: &mut Criterion) {
    flexi_logger_setup::run(c, false);
}

criterion_group!(group, benches);
criterion_main!(group);
